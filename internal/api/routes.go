package api

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/catalogio"
)

// routes is the route table of the API: the mux and the OpenAPI document
// are both made from it. The document's own route stays last.
func (s *server) routes() []route {
	rts := s.catalogRoutes()
	last := rts[len(rts)-1]
	return append(append(rts[:len(rts)-1:len(rts)-1], s.applicationRoutes()...), last)
}

// catalogRoutes are the catalog's routes, for the public and integrations.
func (s *server) catalogRoutes() []route {
	const v1 = "/api/v1"
	categories := make([]string, len(pendopo.Categories))
	for i, c := range pendopo.Categories {
		categories[i] = c.Code
	}
	events := make([]string, len(pendopo.LifeEvents))
	for i, e := range pendopo.LifeEvents {
		events[i] = e.Code
	}
	imageMedia := []string{"image/png", "image/jpeg", "image/webp", "image/svg+xml"}
	return []route{
		// Regions and what belongs to them.
		get(v1+"/regions", "listRegions", "List regions", s.listRegions).with(paged(
			param{name: "level", typ: "string", enum: []string{"provinsi", "kabupaten", "kota"}, doc: "Only regions of this level."},
			param{name: "parent", typ: "string", doc: "Only the kabupaten/kota of this province code, such as 33."},
		)...),
		get(v1+"/regions/{code}", "getRegion", "Get a region with its profile and number of published services", s.getRegion),
		send(http.MethodPut, v1+"/regions/{code}", "updateRegion", "Change a region's name and profile", s.updateRegion).
			describe("Replaces the profile; an empty name keeps the current one. The logo is unchanged."),
		act(http.MethodPut, v1+"/regions/{code}/logo", "putRegionLogo", "Upload a region's logo", s.putLogo).
			accepts(bodySpec{media: imageMedia, limit: maxLogoBytes}).
			describe("The body is the image itself: PNG, JPEG, WebP or SVG, at most 256 KB, judged by its content."),
		act(http.MethodDelete, v1+"/regions/{code}/logo", "deleteRegionLogo", "Remove a region's logo", s.deleteLogo),
		get(v1+"/regions/{code}/agencies", "listAgencies", "List a region's agencies", s.listAgencies).with(paged()...),
		send(http.MethodPut, v1+"/regions/{code}/agencies/{slug}", "putAgency", "Create or update an agency", s.putAgency),
		get(v1+"/regions/{code}/service-points", "listServicePoints", "List a region's service points", s.listServicePoints).with(paged()...),
		send(http.MethodPut, v1+"/regions/{code}/service-points/{slug}", "putServicePoint", "Create or update a service point", s.putServicePoint),
		get(v1+"/regions/{code}/services", "listRegionServices", "List a region's published services", s.listServices).with(paged(
			param{name: "category", typ: "string", enum: categories, doc: "Only services of this category."},
			param{name: "life_event", typ: "string", enum: events, doc: "Only services for this life event."},
			param{name: "agency", typ: "string", doc: "Only services of the agency with this slug."},
			param{name: "kind", typ: "string", doc: "Only services of this national kind, such as ktp-el."},
			param{name: "sort", typ: "string", enum: []string{"name", "duration", "fee", "requirements", "updated"}, doc: "Sort key; name by default."},
			orderParam,
		)...),
		send(http.MethodPost, v1+"/regions/{code}/services", "createService", "Create a service", s.createService).
			returns(http.StatusCreated).
			describe("Stores version 1, published at once when publish is true, else as a draft. The Location header names the new service."),
		get(v1+"/regions/{code}/export", "exportRegion", "Export a region as a bundle", s.exportRegion).
			authenticate(authOptional).
			encodeWith(func(w io.Writer, v any) error { return catalogio.WriteJSON(w, v.(pendopo.Bundle)) }).
			describe("The bundle format of `pendopo import`. Services that were never published are included only for a token of the region."),
		act(http.MethodPost, v1+"/regions/{code}/import", "importRegion", "Import a bundle into a region", s.importRegion).
			accepts(bodySpec{typ: reflect.TypeFor[pendopo.Bundle](), media: jsonMedia, limit: catalogio.MaxFileBytes}).
			with(param{name: "draft", typ: "boolean", doc: "Store changed services as drafts instead of publishing them."}).
			describe("All or nothing: any error leaves the region as it was. Field errors carry the line of the bundle where the field is."),

		// Services.
		get(v1+"/services/{id}", "getService", "Get a published service", s.getService),
		send(http.MethodPut, v1+"/services/{id}", "updateService", "Store a new version of a service", s.updateService).
			describe("With base_version set, fails with 409 when another version was saved since."),
		send(http.MethodPost, v1+"/services/{id}/publish", "publishService", "Publish a version of a service", s.publishService).
			optionalBody().
			describe("Version 0 or omitted publishes the latest version."),
		act(http.MethodPost, v1+"/services/{id}/review", "reviewService", "Confirm that a service's standard is still right", s.reviewService),
		get(v1+"/services/{id}/versions", "listServiceVersions", "List a service's versions", s.listVersions).
			authenticate(authOptional).with(paged()...).
			describe("Newest first. The public sees published versions; a token of the service's region also sees drafts."),
		get(v1+"/services/{id}/versions/{n}", "getServiceVersion", "Get one version of a service with its content", s.getVersion).
			authenticate(authOptional).
			describe("Drafts only for a token of the service's region."),

		// Finding and comparing.
		get(v1+"/search", "search", "Search published services", s.search).with(paged(
			param{name: "q", typ: "string", doc: "What the citizen typed; \"quoted phrases\" must all match, -words are left out."},
			param{name: "region", typ: "string", doc: "Only services for residents of this region code; a kabupaten/kota includes its province's services."},
		)...),
		get(v1+"/compare", "compare", "Compare one kind of service across regions", s.compare).with(
			param{name: "kind", typ: "string", required: true, doc: "The national service kind, such as ktp-el."},
			param{name: "sort", typ: "string", enum: []string{"duration", "fee", "requirements", "name", "region", "updated"}, doc: "Sort key; duration by default."},
			orderParam,
		),
		get(v1+"/kinds", "listKinds", "List the national service kinds", s.listKinds).with(paged()...),
		get(v1+"/categories", "listCategories", "List the service categories", s.listCategories).with(paged()...),
		get(v1+"/life-events", "listLifeEvents", "List the life events", s.listLifeEvents).with(paged()...),
		get(v1+"/stats", "getStats", "National counts", s.stats),

		// Administration.
		get(v1+"/synonyms", "getSynonyms", "Get the search synonym rules", s.getSynonyms).authenticate(authRequired),
		send(http.MethodPut, v1+"/synonyms", "putSynonyms", "Replace the search synonym rules", s.putSynonyms).
			describe("Only national tokens may, because search is national. Errors name the line of the rule."),

		get(v1+"/openapi.json", "getOpenAPI", "This document", s.openAPI).
			encodeWith(func(w io.Writer, v any) error { _, err := w.Write(v.(json.RawMessage)); return err }),
	}
}
