package io.storefrontsync.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.storefrontsync.common.validation.InvalidInputException;
import java.util.List;

/** Several change events delivered in one request; order is delivery order. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangeEventBatch(List<ChangeEvent> events) {

    public ChangeEventBatch {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /**
     * Validates every event.
     *
     * @throws InvalidInputException for the first invalid event, the field prefixed with its index
     */
    public ChangeEventBatch validate() {
        for (int i = 0; i < events.size(); i++) {
            try {
                events.get(i).validate();
            } catch (InvalidInputException e) {
                throw new InvalidInputException("events[" + i + "]." + e.field(), e.reason());
            }
        }
        return this;
    }
}
