package io.storefrontsync.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeEventTest {

    private static final UserId USER = UserId.parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final Instant OCCURRED = Instant.parse("2026-07-01T10:15:30.123Z");
    private static final Instant RECEIVED = Instant.parse("2026-07-01T10:15:31Z");

    // Default WRITE_DATES_AS_TIMESTAMPS=true: the @JsonFormat on the record still forces ISO strings.
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    private static ChangeEvent productUpdate() {
        return ChangeEvent.shopify("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "products/update",
                ShopDomain.parse("demo-shop"), USER, "gid://shopify/Product/1", OCCURRED, RECEIVED);
    }

    @Test
    void shouldRoundTripThroughJsonWithIsoInstantsAndNoNulls() throws Exception {
        ChangeEvent event = productUpdate();

        String json = mapper.writeValueAsString(event);
        JsonNode tree = mapper.readTree(json);

        assertThat(tree.get("occurredAt").asText()).isEqualTo("2026-07-01T10:15:30.123Z");
        assertThat(tree.get("source").asText()).isEqualTo("SHOPIFY");
        assertThat(tree.get("shop").asText()).isEqualTo("demo-shop.myshopify.com");
        assertThat(tree.has("pageId")).isFalse();
        assertThat(mapper.readValue(json, ChangeEvent.class)).isEqualTo(event);
    }

    @Test
    void shouldReadWithIsoConfiguredMapperAndIgnoreUnknownFields() throws Exception {
        ObjectMapper quarkusLike = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        String json = """
                {"eventId":"gw-1","source":"FACEBOOK","topic":"page/feed","pageId":"123",
                 "receivedAt":"2026-07-01T10:15:31Z","futureField":{"x":1}}
                """;
        ChangeEvent event = quarkusLike.readValue(json, ChangeEvent.class);
        assertThat(event).isEqualTo(new ChangeEvent("gw-1", Source.FACEBOOK, "page/feed", null, null, "123",
                null, null, RECEIVED));
        assertThatCode(event::validate).doesNotThrowAnyException();
    }

    @Test
    void shouldRoundTripBatch() throws Exception {
        ChangeEventBatch batch = new ChangeEventBatch(List.of(productUpdate(),
                ChangeEvent.facebook("gw-2", "page/connected", PageId.parse("42"), USER, null, null, RECEIVED)));
        String json = mapper.writeValueAsString(batch);
        assertThat(mapper.readValue(json, ChangeEventBatch.class)).isEqualTo(batch);
        assertThat(batch.validate()).isSameAs(batch);
    }

    @Test
    void shouldTreatMissingBatchListAsEmptyAndCopyIt() throws Exception {
        assertThat(mapper.readValue("{}", ChangeEventBatch.class).events()).isEmpty();
        List<ChangeEvent> source = new java.util.ArrayList<>(List.of(productUpdate()));
        ChangeEventBatch batch = new ChangeEventBatch(source);
        source.clear();
        assertThat(batch.events()).hasSize(1);
    }

    @Test
    void shouldValidateFactoryEvents() {
        assertThat(productUpdate().validate()).isEqualTo(productUpdate());
        assertThatCode(() -> ChangeEvent.shopify("gw-install-1", "app/installed", ShopDomain.parse("demo"),
                null, null, null, RECEIVED).validate()).doesNotThrowAnyException();
        assertThatCode(() -> ChangeEvent.facebook("gw-del-1", EventKind.PAGE_DELETED.topic(), PageId.parse("42"),
                USER, null, null, RECEIVED).validate()).doesNotThrowAnyException();
    }

    @Test
    void aFacebookEventWithoutAPageIsRefusedEvenWithAUser() {
        // Nothing sends user-level Facebook events: Meta's data deletion becomes one page/deleted per Page.
        assertThatThrownBy(() -> ChangeEvent.facebook("gw-del-1", "facebook/data_deletion", null, USER, null, null,
                RECEIVED).validate())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("pageId:");
    }

    @Test
    void lifecycleTopicsAreRecognisedOnlyFromTheirOwnSource() {
        assertThat(productUpdate().kind()).isEqualTo(EventKind.CHANGE);
        for (EventKind kind : EventKind.values()) {
            if (kind == EventKind.CHANGE) {
                continue;
            }
            assertThat(EventKind.of(kind.source(), kind.topic())).isEqualTo(kind);
            Source other = kind.source() == Source.SHOPIFY ? Source.FACEBOOK : Source.SHOPIFY;
            assertThat(EventKind.of(other, kind.topic())).isEqualTo(EventKind.CHANGE);
        }
        assertThat(EventKind.of(Source.SHOPIFY, "resync")).isEqualTo(EventKind.CHANGE);
        assertThat(EventKind.SHOP_REDACT.topic()).isEqualTo("shop/redact");
        assertThat(EventKind.CUSTOMERS_REDACT.isCustomerCompliance()).isTrue();
        assertThat(EventKind.SHOP_REDACT.isCustomerCompliance()).isFalse();
        assertThat(EventKind.PAGE_CONNECTED.isConnect()).isTrue();
        assertThatThrownBy(EventKind.CHANGE::topic).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theKindIsNotPartOfTheWireFormat() throws Exception {
        assertThat(mapper.readTree(mapper.writeValueAsString(productUpdate())).has("kind")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "source", "topic", "receivedAt", "userId", "shop", "pageId", "resourceId"})
    void shouldNameTheFieldThatIsWrong(String field) {
        ChangeEvent good = productUpdate();
        UnaryOperator<ChangeEvent> breakIt = switch (field) {
            case "eventId" -> e -> with(e, "eventId", "has space");
            case "source" -> e -> new ChangeEvent(e.eventId(), null, e.topic(), e.userId(), e.shop(), null,
                    e.resourceId(), e.occurredAt(), e.receivedAt());
            case "topic" -> e -> with(e, "topic", "Products/Update");
            case "receivedAt" -> e -> new ChangeEvent(e.eventId(), e.source(), e.topic(), e.userId(), e.shop(),
                    null, e.resourceId(), e.occurredAt(), null);
            case "userId" -> e -> with(e, "userId", "1-2-3-4-5");
            case "shop" -> e -> with(e, "shop", "demo-shop");
            case "pageId" -> e -> with(e, "pageId", "123");
            case "resourceId" -> e -> with(e, "resourceId", "");
            default -> throw new IllegalArgumentException(field);
        };
        assertThatThrownBy(() -> breakIt.apply(good).validate())
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    }

    @Test
    void shouldRequireShopOnShopifyAndPageOnFacebook() {
        assertThatThrownBy(() -> new ChangeEvent("e1", Source.SHOPIFY, "products/update", null, null, null,
                null, null, RECEIVED).validate())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("shop:");
        assertThatThrownBy(() -> new ChangeEvent("e1", Source.FACEBOOK, "page/feed", null, null, null,
                null, null, RECEIVED).validate())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("pageId:");
        assertThatThrownBy(() -> new ChangeEvent("e1", Source.FACEBOOK, "page/feed", null,
                "demo.myshopify.com", "1", null, null, RECEIVED).validate())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("shop:");
        assertThatThrownBy(() -> new ChangeEvent("e1", Source.FACEBOOK, "page/feed", null, null, "12a",
                null, null, RECEIVED).validate())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("pageId:");
    }

    @Test
    void shouldPrefixBatchErrorsWithIndex() {
        ChangeEventBatch batch = new ChangeEventBatch(List.of(productUpdate(), with(productUpdate(), "topic", "")));
        assertThatThrownBy(batch::validate)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("events[1].topic:");
    }

    private static ChangeEvent with(ChangeEvent e, String field, String value) {
        return new ChangeEvent(
                field.equals("eventId") ? value : e.eventId(), e.source(),
                field.equals("topic") ? value : e.topic(),
                field.equals("userId") ? value : e.userId(),
                field.equals("shop") ? value : e.shop(),
                field.equals("pageId") ? value : e.pageId(),
                field.equals("resourceId") ? value : e.resourceId(),
                e.occurredAt(), e.receivedAt());
    }
}
