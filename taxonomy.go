package pendopo

// Category is a sector that groups services for browsing; the list is
// national so that regions can be compared.
type Category struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
}

// Categories is the national list of service categories.
var Categories = []Category{
	{"kependudukan", M("rule.civil_registration_id")},
	{"perizinan", M("rule.permits_investment")},
	{"pajak-retribusi", M("rule.regional_taxes_levies")},
	{"kesehatan", M("rule.health")},
	{"sosial", M("rule.social_welfare")},
	{"pendidikan", M("rule.education")},
	{"ketenagakerjaan", M("rule.employment")},
	{"perhubungan", M("rule.transport")},
	{"lingkungan", M("rule.environment_waste")},
	{"administrasi-umum", M("rule.letters_general_administration")},
	{"informasi-pengaduan", M("rule.public_information_complaints")},
	{"ketenteraman", M("rule.public_order_fire_disasters")},
	{"perdagangan-umkm", M("rule.trade_cooperatives_small_business")},
	{"pertanian-perikanan", M("rule.agriculture_livestock_fisheries")},
	{"pertanahan-perumahan", M("rule.land_housing_cemeteries")},
	{"kebudayaan-pariwisata", M("rule.culture_tourism_sport")},
	{"perpustakaan-arsip", M("rule.libraries_archives")},
}

// CategoryByCode finds a category.
func CategoryByCode(code string) (Category, bool) {
	for _, c := range Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// LifeEvent is a moment in a citizen's life that calls for services; the
// portal groups services by it, as GOV.UK and Estonia's portal do.
type LifeEvent struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
	Blurb Text   `json:"blurb"`
}

// LifeEvents is the national list of life events.
var LifeEvents = []LifeEvent{
	{"kelahiran", M("rule.having_baby"), M("rule.birth_certificate_child_id_card")},
	{"menginjak-dewasa", M("rule.turning_17"), M("rule.first_id_card_papers_for")},
	{"pernikahan", M("rule.getting_married"), M("rule.marriage_certificate_new_family_card")},
	{"pindah-domisili", M("rule.moving_house"), M("rule.moving_out_letter_registering_at")},
	{"mendirikan-usaha", M("rule.starting_business"), M("rule.business_number_permits_home_food")},
	{"membangun-rumah", M("rule.building_renovating"), M("rule.building_approval_formerly_imb_certificate")},
	{"jual-beli-tanah", M("rule.buying_land_house"), M("rule.transfer_duty_property_tax_change")},
	{"bersekolah", M("rule.going_school"), M("rule.school_enrolment_transfers_diplomas")},
	{"mencari-kerja", M("rule.looking_for_work"), M("rule.job_seeker_card_police_record")},
	{"sakit", M("rule.health_care"), M("rule.health_centres_health_certificates_referrals")},
	{"kehilangan-dokumen", M("rule.lost_damaged_documents"), M("rule.replacing_id_cards_family_cards")},
	{"bantuan-sosial", M("rule.needing_social_assistance"), M("rule.social_welfare_registration_letters_low")},
	{"memiliki-kendaraan", M("rule.owning_vehicle"), M("rule.vehicle_tax_roadworthiness_tests")},
	{"kematian", M("rule.death_family"), M("rule.death_certificate_burial_heirs_family")},
}

// LifeEventByCode finds a life event.
func LifeEventByCode(code string) (LifeEvent, bool) {
	for _, e := range LifeEvents {
		if e.Code == code {
			return e, true
		}
	}
	return LifeEvent{}, false
}

// ServiceKind is a national kind of service ("ktp-el"); every region's
// service of that kind can be compared with the others.
type ServiceKind struct {
	Code     string `json:"code"`
	Name     Text   `json:"name"`
	Category string `json:"category"`
	// Weight is a prior in [0,1] for how often citizens need this kind; it
	// breaks ties in search ranking so that common services come first.
	Weight float64 `json:"weight"`
}
