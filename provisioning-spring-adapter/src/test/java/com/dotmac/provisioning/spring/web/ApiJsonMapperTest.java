package com.dotmac.provisioning.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.spring.web.dto.ApiProblem;
import com.dotmac.provisioning.spring.web.dto.CancelRequestBody;
import com.dotmac.provisioning.spring.web.dto.JobPageResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/** The API's mapper keeps the host's modules, adds its own contract, and leaves the host's mapper as it was. */
class ApiJsonMapperTest {
    /** A type only the host's module knows how to write. */
    record Money(long cents) {
    }

    /** A host value with a camelCase component. */
    record HostValue(String tenantName, Money price) {
    }

    private static JsonMapper host() {
        SimpleModule money = new SimpleModule("host-money").addSerializer(Money.class, new ValueSerializer<>() {
            @Override
            public void serialize(Money value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeString(value.cents() / 100 + "." + String.format("%02d", value.cents() % 100) + " EUR");
            }
        });
        return JsonMapper.builder().addModule(money).build();
    }

    @Test
    void theHostsModulesCarryThroughAndTheHostsMapperIsUnchanged() {
        JsonMapper host = host();
        JsonMapper api = ApiJsonMapper.from(host);

        assertThat(api.writeValueAsString(new HostValue("Acme", new Money(1250))))
                .isEqualTo("{\"tenant_name\":\"Acme\",\"price\":\"12.50 EUR\"}");
        assertThat(host.writeValueAsString(new HostValue("Acme", new Money(1250))))
                .isEqualTo("{\"tenantName\":\"Acme\",\"price\":\"12.50 EUR\"}");
        assertThat(host.readValue("{\"reason\": \"x\", \"extra\": 1}", Map.class)).containsKey("extra");
    }

    @Test
    void readingIsStrictAndMapKeysStayAsSent() {
        JsonMapper api = ApiJsonMapper.from(null);

        assertThatThrownBy(() -> api.readValue("{\"reason\": \"x\", \"extra\": 1}", CancelRequestBody.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThat(api.writeValueAsString(Map.of("someKey", List.of(1)))).isEqualTo("{\"someKey\":[1]}");
        assertThat(api.writeValueAsString(new ApiProblem(HttpStatus.CONFLICT, "busy", "/x", List.of(),
                Map.of("active_job_id", "j1"))))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"busy\","
                        + "\"instance\":\"/x\",\"active_job_id\":\"j1\"}");
    }

    @Test
    void theConverterHandlesTheApisOwnBodiesOnly() {
        ApiJsonConverter converter = new ApiJsonConverter(ApiJsonMapper.from(null));

        assertThat(converter.canRead(ResolvableType.forClass(CancelRequestBody.class), MediaType.APPLICATION_JSON))
                .isTrue();
        assertThat(converter.canWrite(ResolvableType.forClass(JobPageResponse.class), JobPageResponse.class,
                MediaType.APPLICATION_JSON)).isTrue();
        assertThat(converter.canWrite(ResolvableType.forClass(ApiProblem.class), ApiProblem.class,
                MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(converter.canRead(ResolvableType.forClass(Map.class), MediaType.APPLICATION_JSON)).isFalse();
        assertThat(converter.canRead(HostValue.class, MediaType.APPLICATION_JSON)).isFalse();
        assertThat(converter.canWrite(ResolvableType.forClass(HostValue.class), HostValue.class,
                MediaType.APPLICATION_JSON)).isFalse();
        assertThat(converter.canWrite(ResolvableType.forClass(ProblemDetail.class), ProblemDetail.class,
                MediaType.APPLICATION_PROBLEM_JSON)).isFalse();
        assertThat(converter.canRead(ResolvableType.forClass(CancelRequestBody.class), MediaType.TEXT_PLAIN))
                .isFalse();
    }
}
