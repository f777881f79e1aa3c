package demo

// agencySpec describes one agency of a demo world. Parent names another
// spec's code, listed earlier. Weight sizes its staff relative to the others;
// Units are its organizational units (the type's defaults when empty); Head
// names the head's position (the type's default when empty).
type agencySpec struct {
	Code, Name, Type, Parent string
	Weight                   int
	Units                    []string
	Head                     string
}

// appSpec describes one application of the catalog. Users lists the codes
// of the agencies that use it; "*" means every agency of the world.
type appSpec struct {
	Slug, Name, Owner, Status, URL, Description string
	Users                                       []string
}

// kecamatan are Makassar's fifteen districts.
var kecamatan = []string{"Mariso", "Mamajang", "Tamalate", "Rappocini", "Makassar", "Ujung Pandang", "Wajo",
	"Bontoala", "Ujung Tanah", "Kepulauan Sangkarrang", "Tallo", "Panakkukang", "Manggala", "Biringkanaya",
	"Tamalanrea"}

// makassarAgencies are the city's OPD, parents first.
func makassarAgencies() []agencySpec {
	list := []agencySpec{
		{Code: "SETDA", Name: "Sekretariat Daerah", Type: "sekretariat", Weight: 3, Head: "Sekretaris Daerah",
			Units: []string{"Asisten Pemerintahan dan Kesejahteraan Rakyat", "Asisten Perekonomian dan Pembangunan",
				"Asisten Administrasi Umum", "Staf Ahli Wali Kota", "Subbagian Tata Usaha Pimpinan"}},
		{Code: "BAG-PEM", Name: "Bagian Pemerintahan", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "BAG-HUKUM", Name: "Bagian Hukum", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "BAG-ORG", Name: "Bagian Organisasi", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "BAG-UMUM", Name: "Bagian Umum", Type: "bagian", Parent: "SETDA", Weight: 2},
		{Code: "BAG-PROKOPIM", Name: "Bagian Protokol dan Komunikasi Pimpinan", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "BAG-EKON", Name: "Bagian Perekonomian dan Kerja Sama", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "BAG-PBJ", Name: "Bagian Pengadaan Barang dan Jasa", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "BAG-KESRA", Name: "Bagian Kesejahteraan Rakyat", Type: "bagian", Parent: "SETDA", Weight: 1},
		{Code: "SETWAN", Name: "Sekretariat DPRD", Type: "sekretariat", Weight: 2, Head: "Sekretaris DPRD",
			Units: []string{"Bagian Umum dan Keuangan", "Bagian Persidangan dan Perundang-undangan",
				"Bagian Fasilitasi Penganggaran dan Pengawasan"}},
		{Code: "INSPEKTORAT", Name: "Inspektorat", Type: "other", Weight: 2, Head: "Inspektur",
			Units: []string{"Sekretariat", "Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II",
				"Inspektur Pembantu Wilayah III", "Inspektur Pembantu Khusus"}},
		{Code: "DISDIK", Name: "Dinas Pendidikan", Type: "dinas", Weight: 6,
			Units: []string{"Sekretariat", "Subbagian Umum dan Kepegawaian", "Bidang Pembinaan Sekolah Dasar",
				"Bidang Pembinaan Sekolah Menengah Pertama", "Bidang Pendidikan Anak Usia Dini dan Nonformal",
				"Bidang Ketenagaan"}},
		{Code: "DINKES", Name: "Dinas Kesehatan", Type: "dinas", Weight: 5,
			Units: []string{"Sekretariat", "Subbagian Umum dan Kepegawaian", "Bidang Kesehatan Masyarakat",
				"Bidang Pencegahan dan Pengendalian Penyakit", "Bidang Pelayanan Kesehatan",
				"Bidang Sumber Daya Kesehatan"}},
		{Code: "DPU", Name: "Dinas Pekerjaan Umum", Type: "dinas", Weight: 3,
			Units: []string{"Sekretariat", "Subbagian Umum", "Bidang Bina Marga", "Bidang Sumber Daya Air",
				"Bidang Bina Konstruksi"}},
		{Code: "DISTARU", Name: "Dinas Penataan Ruang", Type: "dinas", Weight: 2},
		{Code: "DISPERKIM", Name: "Dinas Perumahan dan Kawasan Permukiman", Type: "dinas", Weight: 2},
		{Code: "SATPOLPP", Name: "Satuan Polisi Pamong Praja", Type: "other", Weight: 4, Head: "Kepala Satuan",
			Units: []string{"Sekretariat", "Bidang Penegakan Peraturan Daerah", "Bidang Ketenteraman dan Ketertiban Umum",
				"Bidang Perlindungan Masyarakat"}},
		{Code: "DAMKAR", Name: "Dinas Pemadam Kebakaran dan Penyelamatan", Type: "dinas", Weight: 3},
		{Code: "DINSOS", Name: "Dinas Sosial", Type: "dinas", Weight: 2,
			Units: []string{"Sekretariat", "Subbagian Umum", "Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial",
				"Bidang Pemberdayaan Sosial"}},
		{Code: "DP3A", Name: "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", Type: "dinas", Weight: 1},
		{Code: "DLH", Name: "Dinas Lingkungan Hidup", Type: "dinas", Weight: 3},
		{Code: "DISDUKCAPIL", Name: "Dinas Kependudukan dan Pencatatan Sipil", Type: "dinas", Weight: 3,
			Units: []string{"Sekretariat", "Subbagian Umum", "Bidang Pelayanan Pendaftaran Penduduk",
				"Bidang Pelayanan Pencatatan Sipil", "Bidang Pengelolaan Informasi Administrasi Kependudukan"}},
		{Code: "DPPKB", Name: "Dinas Pengendalian Penduduk dan Keluarga Berencana", Type: "dinas", Weight: 1},
		{Code: "DISHUB", Name: "Dinas Perhubungan", Type: "dinas", Weight: 3,
			Units: []string{"Sekretariat", "Subbagian Umum", "Bidang Lalu Lintas", "Bidang Angkutan",
				"Bidang Perparkiran"}},
		{Code: "KOMINFO", Name: "Dinas Komunikasi dan Informatika", Type: "dinas", Weight: 3,
			Units: []string{"Sekretariat", "Subbagian Umum dan Kepegawaian", "Bidang Aplikasi Informatika",
				"Bidang Infrastruktur Teknologi Informasi dan Komunikasi", "Bidang Informasi dan Komunikasi Publik",
				"Bidang Statistik dan Persandian", "Tim Layanan Bantuan"}},
		{Code: "DISKOP", Name: "Dinas Koperasi dan Usaha Kecil Menengah", Type: "dinas", Weight: 1},
		{Code: "DPMPTSP", Name: "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", Type: "dinas", Weight: 2},
		{Code: "DISPORA", Name: "Dinas Pemuda dan Olahraga", Type: "dinas", Weight: 1},
		{Code: "DISPUSTAKA", Name: "Dinas Perpustakaan", Type: "dinas", Weight: 1},
		{Code: "DISARSIP", Name: "Dinas Kearsipan", Type: "dinas", Weight: 1},
		{Code: "DISPAR", Name: "Dinas Pariwisata", Type: "dinas", Weight: 1},
		{Code: "DISBUD", Name: "Dinas Kebudayaan", Type: "dinas", Weight: 1},
		{Code: "DP2", Name: "Dinas Perikanan dan Pertanian", Type: "dinas", Weight: 1},
		{Code: "DISDAG", Name: "Dinas Perdagangan", Type: "dinas", Weight: 2},
		{Code: "DISNAKER", Name: "Dinas Ketenagakerjaan", Type: "dinas", Weight: 1},
		{Code: "DISPERTANAHAN", Name: "Dinas Pertanahan", Type: "dinas", Weight: 1},
		{Code: "BKPSDM", Name: "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", Type: "badan", Weight: 2,
			Units: []string{"Sekretariat", "Subbagian Umum", "Bidang Pengadaan, Pemberhentian dan Informasi",
				"Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi Aparatur", "Bidang Penilaian Kinerja"}},
		{Code: "BAPPEDA", Name: "Badan Perencanaan Pembangunan Daerah", Type: "badan", Weight: 2},
		{Code: "BPKAD", Name: "Badan Pengelolaan Keuangan dan Aset Daerah", Type: "badan", Weight: 3,
			Units: []string{"Sekretariat", "Subbagian Umum", "Bidang Anggaran", "Bidang Perbendaharaan",
				"Bidang Akuntansi", "Bidang Aset"}},
		{Code: "BAPENDA", Name: "Badan Pendapatan Daerah", Type: "badan", Weight: 3},
		{Code: "BPBD", Name: "Badan Penanggulangan Bencana Daerah", Type: "badan", Weight: 2},
		{Code: "KESBANGPOL", Name: "Badan Kesatuan Bangsa dan Politik", Type: "badan", Weight: 1},
		{Code: "PKM-KASSI", Name: "UPT Puskesmas Kassi-Kassi", Type: "upt", Parent: "DINKES", Weight: 1, Head: "Kepala Puskesmas",
			Units: puskesmasUnits},
		{Code: "PKM-JUMPANDANG", Name: "UPT Puskesmas Jumpandang Baru", Type: "upt", Parent: "DINKES", Weight: 1,
			Head: "Kepala Puskesmas", Units: puskesmasUnits},
		{Code: "PKM-BATUA", Name: "UPT Puskesmas Batua", Type: "upt", Parent: "DINKES", Weight: 1, Head: "Kepala Puskesmas",
			Units: puskesmasUnits},
		{Code: "UPT-WARROOM", Name: "UPT Pusat Kendali dan Data Kota", Type: "upt", Parent: "KOMINFO", Weight: 1,
			Units: []string{"Subbagian Tata Usaha", "Seksi Operasional Pusat Kendali", "Seksi Pusat Data"}},
		{Code: "UPT-TIK", Name: "UPT Layanan Infrastruktur TIK", Type: "upt", Parent: "KOMINFO", Weight: 1},
	}
	for _, k := range kecamatan {
		list = append(list, agencySpec{Code: "KEC-" + codeOf(k), Name: "Kecamatan " + k, Type: "kecamatan", Weight: 1})
	}
	for _, k := range [][2]string{{"Mariso", "Mariso"}, {"Pa'baeng-baeng", "Tamalate"},
		{"Barrang Lompo", "Kepulauan Sangkarrang"}} {
		list = append(list, agencySpec{Code: "KEL-" + codeOf(k[0]), Name: "Kelurahan " + k[0], Type: "kelurahan",
			Parent: "KEC-" + codeOf(k[1]), Weight: 1})
	}
	return list
}

var puskesmasUnits = []string{"Subbagian Tata Usaha", "Pelayanan Kesehatan Masyarakat", "Pelayanan Kesehatan Perseorangan"}

// everyone is an app's Users meaning every agency of the world.
var everyone = []string{"*"}

// makassarApps are the applications the paper names, owned and used as a
// city of Makassar's kind would.
func makassarApps() []appSpec {
	return []appSpec{
		{Slug: "webmail", Name: "Webmail", Owner: "KOMINFO", Status: "active", URL: "https://mail.makassarkota.go.id",
			Description: "Surel resmi pemerintah kota untuk setiap pegawai dengan alamat @makassarkota.go.id.", Users: everyone},
		{Slug: "e-attendance", Name: "E-Attendance", Owner: "BKPSDM", Status: "active", URL: "https://absensi.makassarkota.go.id",
			Description: "Presensi elektronik pegawai dengan pemindai sidik jari dan lokasi, terhubung ke tunjangan kinerja.",
			Users:       everyone},
		{Slug: "website-opd", Name: "Website OPD", Owner: "KOMINFO", Status: "active", URL: "https://makassarkota.go.id",
			Description: "Situs web setiap OPD dalam satu platform, dikelola operator masing-masing OPD.", Users: everyone},
		{Slug: "simpeg", Name: "SIMPEG", Owner: "BKPSDM", Status: "active", URL: "https://simpeg.makassarkota.go.id",
			Description: "Sistem Informasi Manajemen Kepegawaian: data pegawai, pangkat, jabatan dan riwayat mutasi.",
			Users:       everyone},
		{Slug: "e-budgeting", Name: "E-Budgeting", Owner: "BPKAD", Status: "active", URL: "https://ebudgeting.makassarkota.go.id",
			Description: "Penyusunan anggaran daerah secara elektronik, dari usulan OPD hingga penetapan APBD.", Users: everyone},
		{Slug: "sipd", Name: "SIPD", Owner: "BAPPEDA", Status: "active", URL: "https://sipd.kemendagri.go.id",
			Description: "Sistem Informasi Pemerintahan Daerah dari Kementerian Dalam Negeri untuk perencanaan, penganggaran dan pelaporan.",
			Users:       everyone},
		{Slug: "makassar-war-room", Name: "Makassar War Room", Owner: "KOMINFO", Status: "active",
			URL:         "https://warroom.makassarkota.go.id",
			Description: "Pusat kendali kota: pemantauan kota melalui CCTV dan dasbor, serta pusat data pemerintah kota.",
			Users:       []string{"KOMINFO", "UPT-WARROOM", "SETDA", "DISHUB", "SATPOLPP", "BPBD", "DAMKAR", "DLH"}},
		{Slug: "makassar-care-rescue-center", Name: "Makassar Care & Rescue Center", Owner: "BPBD", Status: "active",
			URL:         "https://mcrc.makassarkota.go.id",
			Description: "Layanan darurat terpadu 112 untuk kebakaran, kecelakaan, bencana dan gangguan keamanan.",
			Users:       []string{"BPBD", "DAMKAR", "DINKES", "SATPOLPP", "DINSOS", "KOMINFO"}},
		{Slug: "dottorota", Name: "Dottoro'ta", Owner: "DINKES", Status: "active", URL: "https://dottorota.makassarkota.go.id",
			Description: "Layanan dokter ke rumah (home care) dengan mobil layanan dan telemedisin bagi warga Makassar.",
			Users:       []string{"DINKES", "PKM-KASSI", "PKM-JUMPANDANG", "PKM-BATUA"}},
		{Slug: "smart-spatial-planning", Name: "Smart Spatial Planning", Owner: "DISTARU", Status: "development",
			URL:         "https://tataruang.makassarkota.go.id",
			Description: "Perencanaan tata ruang berbasis peta digital untuk izin pemanfaatan ruang dan pengawasannya.",
			Users:       []string{"DISTARU", "DPMPTSP", "DPU", "BAPPEDA", "DISPERKIM"}},
		{Slug: "event-online", Name: "Event Online", Owner: "KOMINFO", Status: "planned",
			Description: "Pendaftaran, undangan dan presensi kegiatan pemerintah kota secara daring, termasuk bimtek.",
			Users:       []string{"KOMINFO", "BKPSDM", "DISPAR", "DISBUD", "SETDA"}},
	}
}
