package com.dotmac.provisioning.spring.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Derives the REST API's JSON mapper from the host's: the host's modules and settings carry through, while the
 * API's contract is fixed on top. Record components are snake_case (map keys, such as {@code extra_vars}, stay as
 * sent); unknown properties, duplicate keys and content after the body are refused; a number, boolean or string is
 * never coerced into another scalar type; {@code null} members are always written; fractions are read as
 * {@link java.math.BigDecimal}; problems are written as RFC 9457 objects (Spring's
 * {@link ProblemDetailJacksonMixin}). Stateless and thread-safe.
 */
public final class ApiJsonMapper {
    private ApiJsonMapper() {
    }

    /**
     * @param host the host's configured mapper (Spring Boot's {@code JsonMapper} bean), or null for Jackson's
     *     defaults
     * @return a new mapper for the API only; the host's mapper is not changed
     */
    public static JsonMapper from(@Nullable JsonMapper host) {
        JsonMapper.Builder builder = host == null ? JsonMapper.builder() : host.rebuild();
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.USE_LONG_FOR_INTS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .changeDefaultPropertyInclusion(v -> JsonInclude.Value.construct(JsonInclude.Include.ALWAYS,
                        JsonInclude.Include.ALWAYS))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .build();
    }
}
