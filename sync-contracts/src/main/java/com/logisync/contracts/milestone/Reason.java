package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A canonical reason code plus the source's own code and the code list it comes from. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(String code, String sourceCode, String sourceCodeList, String description) {
}
