-- Survey responses (SKM, PermenPAN-RB 14/2017): one row per respondent
-- with a column per unsur (NULL when skipped), so that the IKM of any
-- selection is one pass of SUM and COUNT per column, without a join.
-- day (a pendopo.Day) and month (yyyymm) are the response's date in the
-- region's time zone: month for grouping, day for the one-a-day rule.
CREATE TABLE survey_responses (
    id               {{serial}} PRIMARY KEY,
    region_code      TEXT NOT NULL REFERENCES regions (code),
    agency           TEXT NOT NULL DEFAULT '',
    service_id       {{bigint}} REFERENCES services (id),
    service_point_id {{bigint}} REFERENCES service_points (id),
    channel          TEXT NOT NULL,
    subject          TEXT NOT NULL DEFAULT '',
    u_persyaratan    {{smallint}} CHECK (u_persyaratan BETWEEN 1 AND 4),
    u_prosedur       {{smallint}} CHECK (u_prosedur BETWEEN 1 AND 4),
    u_waktu          {{smallint}} CHECK (u_waktu BETWEEN 1 AND 4),
    u_biaya          {{smallint}} CHECK (u_biaya BETWEEN 1 AND 4),
    u_produk         {{smallint}} CHECK (u_produk BETWEEN 1 AND 4),
    u_kompetensi     {{smallint}} CHECK (u_kompetensi BETWEEN 1 AND 4),
    u_perilaku       {{smallint}} CHECK (u_perilaku BETWEEN 1 AND 4),
    u_pengaduan      {{smallint}} CHECK (u_pengaduan BETWEEN 1 AND 4),
    u_sarana         {{smallint}} CHECK (u_sarana BETWEEN 1 AND 4),
    comment          TEXT NOT NULL DEFAULT '',
    device_key       TEXT NOT NULL DEFAULT '',
    day              INTEGER NOT NULL,
    month            INTEGER NOT NULL,
    created_at       {{timestamp}} NOT NULL,
    CHECK (COALESCE(u_persyaratan, u_prosedur, u_waktu, u_biaya, u_produk,
                   u_kompetensi, u_perilaku, u_pengaduan, u_sarana) IS NOT NULL)
);
-- One response per application or report; without one, one per device
-- a day at a service point (0: none) of a region.
CREATE UNIQUE INDEX survey_subject ON survey_responses (subject) WHERE subject <> '';
CREATE UNIQUE INDEX survey_device ON survey_responses (region_code, COALESCE(service_point_id, 0), device_key, day)
    WHERE device_key <> '' AND subject = '';
-- Lists and tallies select by region, agency, service or service point,
-- within a period.
CREATE INDEX survey_region ON survey_responses (region_code, created_at);
CREATE INDEX survey_agency ON survey_responses (region_code, agency, created_at);
CREATE INDEX survey_service ON survey_responses (service_id, created_at);
CREATE INDEX survey_point ON survey_responses (service_point_id, created_at);
