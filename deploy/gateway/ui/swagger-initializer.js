// The four services' documents, fetched through this gateway. They declare no `servers`,
// so "Try it out" sends requests to this page's origin: the gateway, which routes /v1/*.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { name: "ingest-service", url: "/ingest/q/openapi?format=json" },
      { name: "count-service", url: "/count/q/openapi?format=json" },
      { name: "holiday-service", url: "/holiday/q/openapi?format=json" },
      { name: "analytics-service", url: "/analytics/q/openapi?format=json" }
    ],
    "urls.primaryName": "ingest-service",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
};
