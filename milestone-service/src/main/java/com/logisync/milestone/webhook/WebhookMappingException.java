package com.logisync.milestone.webhook;

import com.logisync.runtime.rest.Problem;

import java.util.List;

/** The partner's payload does not say what a milestone needs; every problem is listed. */
public class WebhookMappingException extends Exception {

    private final List<Problem.FieldError> errors;

    public WebhookMappingException(List<Problem.FieldError> errors) {
        super(errors.size() + " problem(s) in the payload");
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
