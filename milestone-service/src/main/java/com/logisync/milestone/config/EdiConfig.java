package com.logisync.milestone.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The X12 channel, under {@code logisync.edi.*}. */
@ConfigMapping(prefix = "logisync.edi")
public interface EdiConfig {

    /** LogiSync's own interchange id qualifier (ISA07 of what partners send, ISA05 of our answers). */
    @WithDefault("ZZ")
    String receiverQualifier();

    /** LogiSync's own interchange id (ISA08 and GS03 of what partners send). */
    @WithDefault("LOGISYNC")
    String receiverId();

    /**
     * Whether local times resolve by coordinates (timeshape's bundled boundaries, loaded in the
     * background when coordinates are first asked about: about 7 s of CPU and 30 MB of heap). Off:
     * city and state only.
     */
    @WithDefault("true")
    boolean coordinateZones();
}
