package com.logisync.milestone.rest;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A milestone says when it happened: {@code eventTime} (with offset) or {@code localEventTime}; reported on {@code eventTime}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Timed.Check.class)
public @interface Timed {

    String message() default "must give eventTime (with offset) or localEventTime";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Timed, MilestoneRequest> {
        @Override
        public boolean isValid(MilestoneRequest r, ConstraintValidatorContext context) {
            if (r == null || r.eventTime() != null || r.localEventTime() != null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("eventTime").addConstraintViolation();
            return false;
        }
    }
}
