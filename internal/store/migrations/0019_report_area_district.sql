-- An area rule may name a kecamatan by its Kemendagri code instead of a
-- box on the map (issue 14 §2); '' keeps the box.
ALTER TABLE report_area_routes ADD COLUMN district TEXT NOT NULL DEFAULT '';
