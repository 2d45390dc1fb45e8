package dev.footfall.analytics.service.heartbeat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.analytics.model.heartbeat.Cohort;
import dev.footfall.analytics.model.heartbeat.Device;
import dev.footfall.analytics.model.heartbeat.DeviceEvent;
import dev.footfall.analytics.model.heartbeat.SoftwareVersion;
import dev.footfall.analytics.model.heartbeat.StagedCount;
import dev.footfall.analytics.repository.heartbeat.HeartbeatStagingRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** Stages validated batches. Within one batch the last item with an id wins, as if the items were upserted in turn. */
@ApplicationScoped
public class HeartbeatStagingService {

    private final HeartbeatStagingRepository staging;
    private final ObjectMapper mapper;

    HeartbeatStagingService(HeartbeatStagingRepository staging, ObjectMapper mapper) {
        this.staging = staging;
        this.mapper = mapper;
    }

    public Uni<StagedCount> stageCohorts(String tenant, List<Cohort> cohorts) {
        return upsert(cohorts, Cohort::id, unique -> staging.upsertCohorts(tenant, unique));
    }

    public Uni<List<Cohort>> cohorts(String tenant) {
        return staging.cohorts(tenant);
    }

    public Uni<StagedCount> stageDevices(String tenant, List<Device> devices) {
        return upsert(devices, Device::id, unique -> staging.upsertDevices(tenant, unique));
    }

    public Uni<StagedCount> stageSoftwareVersions(String tenant, List<SoftwareVersion> versions) {
        return upsert(versions, SoftwareVersion::id, unique -> staging.upsertSoftwareVersions(tenant, unique));
    }

    public Uni<StagedCount> stageEvents(String tenant, List<DeviceEvent> events) {
        List<DeviceEvent> unique = lastById(events, DeviceEvent::id);
        if (unique.isEmpty()) {
            return Uni.createFrom().item(new StagedCount(events.size(), 0));
        }
        List<String> infos = new ArrayList<>(unique.size());
        Map<Long, TreeSet<String>> metrics = new LinkedHashMap<>();
        for (DeviceEvent e : unique) {
            infos.add(json(e.eventInfo()));
            JsonNode m = e.eventInfo().get("metrics");
            if (e.isHeartbeat() && m != null && m.isObject()) {
                m.fieldNames().forEachRemaining(name -> metrics.computeIfAbsent(e.projectId(), p -> new TreeSet<>()).add(name));
            }
        }
        return staging.upsertEvents(tenant, unique, infos, metrics).map(n -> new StagedCount(events.size(), n));
    }

    private <T> Uni<StagedCount> upsert(List<T> items, Function<T, Long> id, Function<List<T>, Uni<Integer>> store) {
        List<T> unique = lastById(items, id);
        if (unique.isEmpty()) {
            return Uni.createFrom().item(new StagedCount(items.size(), 0));
        }
        return store.apply(unique).map(n -> new StagedCount(items.size(), n));
    }

    // One statement cannot upsert the same id twice, so duplicates within a batch collapse to the last one.
    private static <T> List<T> lastById(List<T> items, Function<T, Long> id) {
        Map<Long, T> byId = new LinkedHashMap<>();
        for (T item : items) {
            byId.remove(id.apply(item));
            byId.put(id.apply(item), item);
        }
        return new ArrayList<>(byId.values());
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed JSON tree cannot be written back", e);
        }
    }
}
