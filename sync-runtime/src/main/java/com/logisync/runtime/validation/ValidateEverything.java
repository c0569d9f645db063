package com.logisync.runtime.validation;

import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;

import java.lang.annotation.ElementType;

/**
 * Bean Validation checks every property of what it is given, without asking JPA whether the property is loaded.
 *
 * <p>What we validate are request bodies (records and plain classes), never entities: no entity carries a
 * constraint. With Hibernate on the class path, though, Quarkus installs a JPA-aware traversable resolver, and
 * Hibernate Validator wraps it in a per-validation cache: a map lookup through Hibernate's persistence utilities
 * and a hash-map entry for every constrained property of every report, 2.3 % of milestone-service's CPU on
 * the batch path, with 6.2 % for validation in all (async-profiler, docs/benchmarks.md, 2026-12-01). This
 * resolver answers "reachable, cascadable" at once, and the result cache, which has nothing left to save, is off.
 */
@ApplicationScoped
public class ValidateEverything implements ValidatorFactoryCustomizer {

    /** Every property is reachable and cascadable: no lazy association is ever validated. */
    public static final class TraverseAll implements TraversableResolver {
        @Override
        public boolean isReachable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
                ElementType elementType) {
            return true;
        }

        @Override
        public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
                ElementType elementType) {
            return true;
        }
    }

    @Override
    public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
        configuration.traversableResolver(new TraverseAll());
        configuration.enableTraversableResolverResultCache(false);
    }
}
