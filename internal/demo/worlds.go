package demo

// makassar is the demo city.
func makassar() world {
	return world{Domain: "makassarkota.go.id", Agencies: makassarAgencies(), Apps: makassarApps(), IT: "KOMINFO",
		Top: "SETDA", Leader: "Wali Kota", Trainers: []string{"KOMINFO", "BKPSDM", "DINKES", "DISDIK"}}
}

// regencies near Makassar, each with five of its kecamatan, for the
// province scale.
var regencies = []struct {
	Code, Name string
	Kecamatan  []string
}{
	{"GOWA", "Gowa", []string{"Somba Opu", "Bontomarannu", "Pallangga", "Bajeng", "Tinggimoncong"}},
	{"MAROS", "Maros", []string{"Turikale", "Mandai", "Marusu", "Lau", "Bantimurung"}},
	{"TAKALAR", "Takalar", []string{"Pattallassang", "Galesong", "Polongbangkeng Utara", "Mappakasunggu", "Sanrobone"}},
	{"BONE", "Bone", []string{"Tanete Riattang", "Tanete Riattang Barat", "Dua Boccoe", "Awangpone", "Cenrana"}},
	{"WAJO", "Wajo", []string{"Tempe", "Sabbangparu", "Pammana", "Belawa", "Tanasitolo"}},
}

// province is the province of South Sulawesi at demo size: the province's
// own agencies, the city of Makassar whole, and five regencies, each with
// the usual OPD of a regency (codes prefixed with the regency's). The
// province's own secretariat and Kominfo hold the city-wide roles.
func province() world {
	w := makassar()
	w.Domain, w.IT, w.Top, w.Leader = "sulselprov.go.id", "PROV-KOMINFO", "PROV-SETDA", "Gubernur"
	for _, s := range makassarAgencies() {
		if s.Type == "kecamatan" || s.Type == "kelurahan" || s.Type == "upt" || s.Type == "bagian" {
			continue
		}
		w.Agencies = append(w.Agencies, regional("PROV", "Provinsi Sulawesi Selatan", s))
	}
	for _, r := range regencies {
		for _, s := range makassarAgencies() {
			if s.Type == "kecamatan" || s.Type == "kelurahan" || s.Type == "bagian" {
				continue
			}
			w.Agencies = append(w.Agencies, regional(r.Code, "Kabupaten "+r.Name, s))
		}
		for _, k := range r.Kecamatan {
			w.Agencies = append(w.Agencies, agencySpec{Code: r.Code + "-KEC-" + codeOf(k), Name: "Kecamatan " + k +
				" Kabupaten " + r.Name, Type: "kecamatan", Weight: 1})
		}
	}
	return w
}

// regional renames an agency of the city template for another region.
func regional(prefix, region string, s agencySpec) agencySpec {
	s.Code = prefix + "-" + s.Code
	s.Name += " " + region
	if s.Parent != "" {
		s.Parent = prefix + "-" + s.Parent
	}
	return s
}

// provinces hold a ministry's regional offices.
var provinces = []string{"Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
	"Sumatera Selatan", "Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Banten", "Jawa Barat",
	"Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
	"Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
	"Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara",
	"Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
	"Papua Barat Daya"}

// ministry is a ministry at demo size: the secretariat general and its
// bureaus, the inspectorate, directorates general with their directorates,
// agencies and centres, and a regional office in every province with five
// technical units under it.
func ministry() world {
	w := world{Domain: "kementerian.go.id", IT: "PUSDATIN", Top: "SETJEN", Leader: "Menteri",
		Trainers: []string{"PUSDATIN", "BPSDM"}}
	add := func(s agencySpec) { w.Agencies = append(w.Agencies, s) }
	add(agencySpec{Code: "SETJEN", Name: "Sekretariat Jenderal", Type: "sekretariat", Weight: 4, Head: "Sekretaris Jenderal"})
	for _, b := range []string{"Perencanaan", "Keuangan", "Organisasi dan Tata Laksana", "Hukum", "Kepegawaian",
		"Umum dan Pengadaan", "Hubungan Masyarakat"} {
		add(agencySpec{Code: "BIRO-" + codeOf(b), Name: "Biro " + b, Type: "bagian", Parent: "SETJEN", Weight: 2,
			Head: "Kepala Biro"})
	}
	add(agencySpec{Code: "ITJEN", Name: "Inspektorat Jenderal", Type: "other", Weight: 3, Head: "Inspektur Jenderal"})
	add(agencySpec{Code: "PUSDATIN", Name: "Pusat Data dan Sistem Informasi", Type: "other", Weight: 3,
		Head: "Kepala Pusat", Units: []string{"Bagian Umum", "Bidang Pengembangan Aplikasi", "Bidang Infrastruktur",
			"Bidang Pengelolaan Data", "Tim Layanan Bantuan"}})
	add(agencySpec{Code: "BPSDM", Name: "Badan Pengembangan Sumber Daya Manusia", Type: "badan", Weight: 4})
	add(agencySpec{Code: "BALITBANG", Name: "Badan Penelitian dan Pengembangan", Type: "badan", Weight: 4})
	for _, dj := range []string{"Pembinaan Administrasi Wilayah", "Pembangunan Daerah", "Keuangan Daerah",
		"Kependudukan dan Pencatatan Sipil", "Otonomi Daerah", "Politik dan Pemerintahan Umum"} {
		code := "DITJEN-" + codeOf(dj)
		add(agencySpec{Code: code, Name: "Direktorat Jenderal " + dj, Type: "other", Weight: 4,
			Head: "Direktur Jenderal"})
		for i, dir := range []string{"Perencanaan", "Pelaksanaan", "Pembinaan", "Pengawasan", "Fasilitasi"} {
			add(agencySpec{Code: code + "-" + codeOf(dir), Name: "Direktorat " + dir + " " + dj, Type: "other",
				Parent: code, Weight: 3, Head: "Direktur", Units: []string{"Subdirektorat I", "Subdirektorat II",
					"Subdirektorat III", "Subbagian Tata Usaha"}[:3+i%2]})
		}
	}
	for _, p := range provinces {
		code := "KANWIL-" + codeOf(p)
		add(agencySpec{Code: code, Name: "Kantor Wilayah Provinsi " + p, Type: "other", Weight: 5,
			Head: "Kepala Kantor Wilayah"})
		for _, u := range []string{"Pelayanan", "Data dan Informasi", "Pengawasan", "Pendidikan dan Pelatihan",
			"Fasilitasi Daerah"} {
			add(agencySpec{Code: code + "-" + codeOf(u), Name: "UPT " + u + " " + p, Type: "upt", Parent: code,
				Weight: 4})
		}
	}
	w.Apps = []appSpec{
		{Slug: "webmail", Name: "Webmail", Owner: "PUSDATIN", Status: "active",
			Description: "Surel resmi kementerian untuk setiap pegawai.", Users: everyone},
		{Slug: "simpeg", Name: "SIMPEG", Owner: "BIRO-KEPEGAWAIAN", Status: "active",
			Description: "Sistem Informasi Manajemen Kepegawaian.", Users: everyone},
		{Slug: "e-office", Name: "E-Office", Owner: "PUSDATIN", Status: "active",
			Description: "Naskah dinas elektronik dan disposisi.", Users: everyone},
		{Slug: "e-learning", Name: "E-Learning", Owner: "BPSDM", Status: "development",
			Description: "Pelatihan daring bagi aparatur kementerian.", Users: []string{"BPSDM", "PUSDATIN", "SETJEN"}},
	}
	return w
}
