package com.logisync.runtime.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Adds {@link FastTimeModule} to every service's ObjectMapper, last, so its deserializers are the ones used. */
@Singleton
public class FastTimeCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new FastTimeModule());
    }

    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }
}
