package dev.footfall.analytics.rest.heartbeat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.analytics.model.heartbeat.Cohort;
import dev.footfall.analytics.model.heartbeat.Device;
import dev.footfall.analytics.model.heartbeat.DeviceEvent;
import dev.footfall.analytics.model.heartbeat.SoftwareVersion;
import dev.footfall.analytics.model.heartbeat.StagedCount;
import dev.footfall.analytics.service.heartbeat.HeartbeatStagingService;
import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Staging of the device-monitoring product's tables. Each endpoint takes a JSON array (or one object) or NDJSON and
 * upserts by id within the caller's tenant; a batch with one invalid item is rejected whole, with every invalid item
 * named by index and field.
 */
@Path("/v1/heartbeats")
@Tag(name = "Heartbeat staging")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, BatchReader.NDJSON})
public class HeartbeatStagingResource {

    private static final double MAX_METRIC = Double.MAX_VALUE;

    private final BatchReader reader;
    private final HeartbeatStagingService staging;
    private final ObjectMapper mapper;
    private final Tenant tenant;

    HeartbeatStagingResource(BatchReader reader, HeartbeatStagingService staging, ObjectMapper mapper, Tenant tenant) {
        this.reader = reader;
        this.staging = staging;
        this.mapper = mapper;
        this.tenant = tenant;
    }

    @POST
    @Path("/cohorts")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stage cohorts (upsert by id)")
    @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Cohort.class)),
            @Content(mediaType = BatchReader.NDJSON, schema = @Schema(implementation = Cohort.class))})
    public Uni<StagedCount> stageCohorts(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return staging.stageCohorts(tenant.id(), reader.read(body, contentType, Cohort.class, "cohorts"));
    }

    @GET
    @Path("/cohorts")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "List staged cohorts")
    public Uni<List<Cohort>> cohorts() {
        return staging.cohorts(tenant.id());
    }

    @POST
    @Path("/devices")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stage devices (upsert by id); a device may move to another cohort")
    @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Device.class)),
            @Content(mediaType = BatchReader.NDJSON, schema = @Schema(implementation = Device.class))})
    public Uni<StagedCount> stageDevices(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return staging.stageDevices(tenant.id(), reader.read(body, contentType, Device.class, "devices"));
    }

    @POST
    @Path("/software_versions")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stage software versions (upsert by id); several ids may carry the same version string")
    @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = SoftwareVersion.class)),
            @Content(mediaType = BatchReader.NDJSON, schema = @Schema(implementation = SoftwareVersion.class))})
    public Uni<StagedCount> stageSoftwareVersions(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        return staging.stageSoftwareVersions(tenant.id(),
                reader.read(body, contentType, SoftwareVersion.class, "software versions"));
    }

    @POST
    @Path("/events")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stage device events (upsert by id); they may name devices and versions staged later")
    @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = DeviceEvent.class)),
            @Content(mediaType = BatchReader.NDJSON, schema = @Schema(implementation = DeviceEvent.class))})
    public Uni<StagedCount> stageEvents(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return staging.stageEvents(tenant.id(),
                reader.read(body, contentType, DeviceEvent.class, "events", this::checkEvent));
    }

    /**
     * event_info must be an object (a string holding one, as CSV exports carry JSON columns, is read as that object).
     * A heartbeat's metrics must be an object; its values may be anything (non-numbers are skipped by the queries) but
     * a number must fit a double.
     */
    private DeviceEvent checkEvent(DeviceEvent event, BatchReader.Errors errors) {
        JsonNode info = event.eventInfo();
        if (info.isTextual()) {
            try {
                info = mapper.readTree(info.textValue());
            } catch (JsonProcessingException e) {
                errors.add("event_info", "is a string but not a JSON object");
                return event;
            }
        }
        if (info == null || !info.isObject()) {
            errors.add("event_info", "must be a JSON object");
            return event;
        }
        JsonNode metrics = info.get("metrics");
        if (event.isHeartbeat() && metrics != null && !metrics.isNull()) {
            if (!metrics.isObject()) {
                errors.add("event_info.metrics", "must be a JSON object");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> metric = it.next();
                    if (metric.getKey().isEmpty() || metric.getKey().length() > 200) {
                        errors.add("event_info.metrics", "metric names must have 1 to 200 characters");
                    } else if (metric.getValue().isNumber() && !(Math.abs(metric.getValue().asDouble()) <= MAX_METRIC)) {
                        errors.add("event_info.metrics." + metric.getKey(), "number out of range");
                    }
                }
            }
        }
        return event.withEventInfo(info);
    }
}
