package com.logisync.billing.model;

import java.time.Instant;

/** What is known of a case's POD document without its content. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record PodDocumentInfo(String fileName, String contentType, int sizeBytes, String sha256, String uploadedBy,
        Instant uploadedAt) {
}
