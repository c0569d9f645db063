package com.logisync.billing.service;

import com.logisync.billing.config.InvoicingConfig;
import com.logisync.billing.model.BillingPodDocument;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The POD document of a billing case: a PDF, JPEG, PNG or TIFF, size-limited
 * ({@code logisync.invoicing.pod-document-max-bytes}), stored in PostgreSQL with its SHA-256. A new
 * upload replaces the old one; the invoice request references it, and carries it when the shipper's
 * contract wants the POD with the invoice (then the case waits for it: rule {@code POD_DOCUMENT}).
 */
@ApplicationScoped
public class PodDocuments {

    private static final Logger LOG = Logger.getLogger(PodDocuments.class);
    public static final List<String> TYPES = List.of("application/pdf", "image/jpeg", "image/png", "image/tiff");

    private final BillingCaseService billing;
    private final InvoicingConfig config;

    public PodDocuments(BillingCaseService billing, InvoicingConfig config) {
        this.billing = billing;
        this.config = config;
    }

    public Uni<BillingCaseService.CaseDetails> upload(String shipmentId, String contentType, String fileName,
            byte[] content, String uploadedBy) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (content == null || content.length == 0) {
            return Uni.createFrom().failure(ProblemException.unprocessable("The POD document is empty",
                    List.of(new Problem.FieldError("body", "EMPTY", "upload the document's bytes as the body"))));
        }
        if (content.length > config.podDocumentMaxBytes()) {
            return Uni.createFrom().failure(new ProblemException(413, "pod-document-too-large", "Payload too large",
                    "The POD document has " + content.length + " bytes; at most " + config.podDocumentMaxBytes()
                            + " are accepted", null, Map.of("maxBytes", config.podDocumentMaxBytes())));
        }
        if (!matches(type, content)) {
            return Uni.createFrom().failure(ProblemException.unprocessable("The body is not a " + type + " document",
                    List.of(new Problem.FieldError("body", "CONTENT_MISMATCH", "the bytes do not start as a " + type
                            + " does; accepted: " + TYPES))));
        }
        String name = fileName == null || fileName.isBlank() ? null
                : fileName.length() > 200 ? fileName.substring(0, 200) : fileName;
        return Panache.withTransaction(() -> billing.lockCase(shipmentId).chain(b -> Panache.getSession()
                .chain(s -> s.find(BillingPodDocument.class, shipmentId).chain(existing -> {
                    BillingPodDocument d = existing != null ? existing : new BillingPodDocument();
                    d.shipmentId = shipmentId;
                    d.contentType = type;
                    d.fileName = name;
                    d.sizeBytes = content.length;
                    d.sha256 = sha256(content);
                    d.content = content;
                    d.uploadedBy = uploadedBy;
                    d.uploadedAt = Instant.now();
                    MDC.put("shipmentId", shipmentId);
                    LOG.infof("POD document of %s uploaded by %s: %s, %d bytes, sha256 %s", shipmentId, uploadedBy,
                            type, content.length, d.sha256);
                    return (existing != null ? Uni.createFrom().voidItem() : s.persist(d));
                }))
                .chain(() -> billing.reevaluate(b))))
                .chain(() -> billing.find(shipmentId));
    }

    public Uni<BillingPodDocument> download(String shipmentId) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.find(BillingPodDocument.class, shipmentId)))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("POD document of shipment", shipmentId));
    }

    /** Whether the bytes begin as a document of that type does (its magic number). */
    static boolean matches(String type, byte[] c) {
        return switch (type) {
            case "application/pdf" -> starts(c, 0x25, 0x50, 0x44, 0x46); // %PDF
            case "image/jpeg" -> starts(c, 0xFF, 0xD8, 0xFF);
            case "image/png" -> starts(c, 0x89, 0x50, 0x4E, 0x47);
            case "image/tiff" -> starts(c, 0x49, 0x49, 0x2A, 0x00) || starts(c, 0x4D, 0x4D, 0x00, 0x2A);
            default -> false;
        };
    }

    private static boolean starts(byte[] c, int... magic) {
        if (c.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((c[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
