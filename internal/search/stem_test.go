package search

import "testing"

// stemCases pairs words with the root search must reduce them to: affixed
// forms meet their root, and roots, loanwords and short words stay whole.
var stemCases = []struct{ word, root string }{
	// the families
	{"pelayanan", "layan"}, {"melayani", "layan"}, {"dilayani", "layan"}, {"layanan", "layan"},
	{"pengiriman", "kirim"}, {"mengirimkan", "kirim"}, {"kiriman", "kirim"}, {"dikirim", "kirim"},
	{"pembayaran", "bayar"}, {"membayar", "bayar"}, {"dibayarkan", "bayar"},
	{"penyimpanan", "simpan"}, {"menyimpan", "simpan"}, {"tersimpan", "simpan"},
	{"menulis", "tulis"}, {"penulis", "tulis"}, {"tulisan", "tulis"}, {"tertulis", "tulis"},
	{"keberhasilan", "hasil"}, {"berhasil", "hasil"},
	{"memperbaiki", "baik"}, {"perbaikan", "baik"}, {"diperbaiki", "baik"},
	// nasal recoding
	{"menyapu", "sapu"}, {"memakai", "pakai"}, {"pemakaian", "pakai"}, {"mengirim", "kirim"},
	{"menyelesaikan", "selesai"}, {"penyelesaian", "selesai"}, {"menerima", "terima"},
	{"penerimaan", "terima"}, {"menerapkan", "terap"}, {"menangani", "tangan"},
	{"pengelolaan", "kelola"}, {"mengembangkan", "kembang"}, {"pemeriksaan", "periksa"},
	{"menyampaikan", "sampai"}, {"pemakan", "makan"}, {"memakan", "makan"}, {"meminta", "minta"},
	// plain and stacked prefixes
	{"pendaftaran", "daftar"}, {"mendaftar", "daftar"}, {"terdaftar", "daftar"},
	{"pengguna", "guna"}, {"menggunakan", "guna"}, {"penggunaan", "guna"},
	{"pengaduan", "adu"}, {"aduan", "adu"}, {"mengajukan", "aju"}, {"pengajuan", "aju"},
	{"mengecek", "cek"}, {"pengecekan", "cek"}, {"mengetahui", "tahu"}, {"pengetahuan", "tahu"},
	{"belajar", "ajar"}, {"pelajaran", "ajar"}, {"mempelajari", "ajar"},
	{"bekerja", "kerja"}, {"pekerjaan", "kerja"}, {"kemampuan", "mampu"},
	{"keterbukaan", "buka"}, {"terbuka", "buka"}, {"kepegawaian", "pegawai"},
	{"kementerian", "menteri"}, {"kelurahan", "lurah"}, {"kecamatan", "camat"},
	{"perencanaan", "rencana"}, {"pelaksanaan", "laksana"}, {"peningkatan", "tingkat"},
	{"pertanian", "tani"}, {"petani", "tani"}, {"perkantoran", "kantor"}, {"permintaan", "minta"},
	{"persetujuan", "setuju"}, {"peraturan", "atur"}, {"pengaturan", "atur"},
	{"pemerintahan", "pemerintah"}, {"tersedia", "sedia"}, {"penilaian", "nilai"},
	{"dinilai", "nilai"}, {"pemberitahuan", "beritahu"}, {"memberikan", "beri"},
	{"keamanan", "aman"}, {"kesehatan", "sehat"}, {"keuangan", "uang"},
	// a listed root must not swallow a derived word (pe-langgar-an, not pe-anggaran)
	{"pelanggaran", "langgar"}, {"anggaran", "anggar"}, {"keberangkatan", "berangkat"},
	{"peranan", "peran"}, {"memerankan", "peran"}, {"memindai", "pindai"}, {"pameran", "pamer"},
	{"menanggapi", "tanggap"}, {"tanggapan", "tanggap"}, {"menganggap", "anggap"},
	{"memperoleh", "oleh"}, {"menindaklanjuti", "tindaklanjut"}, {"mempunyai", "punya"},
	{"mengambil", "ambil"}, {"mengalami", "alam"}, {"pengalaman", "alam"}, {"menilai", "nilai"}, {"memenuhi", "penuh"},
	{"kemeja", "kemeja"}, {"terapi", "terapi"}, {"perdata", "perdata"}, {"kebaya", "kebaya"},
	{"pedagang", "dagang"}, {"perikanan", "ikan"}, {"pelabuhan", "labuh"}, {"pelanggan", "langgan"},
	{"kendaraan", "kendara"}, {"memanfaatkan", "manfaat"}, {"memperbarui", "baru"}, {"pembaruan", "baru"},
	{"pejabat", "jabat"}, {"jabatan", "jabat"}, {"menjabat", "jabat"}, {"percepatan", "cepat"}, {"keperluan", "perlu"}, {"diteruskan", "terus"},
	// words first checked unseen (60 of 62 right before tanggulang was listed)
	{"penyusunan", "susun"}, {"disusun", "susun"}, {"penghitungan", "hitung"}, {"perhitungan", "hitung"},
	{"menghitung", "hitung"}, {"penerbitan", "terbit"}, {"diterbitkan", "terbit"}, {"pencairan", "cair"},
	{"dicairkan", "cair"}, {"penagihan", "tagih"}, {"tagihan", "tagih"}, {"penundaan", "tunda"},
	{"ditunda", "tunda"}, {"pembatalan", "batal"}, {"dibatalkan", "batal"}, {"pemindahan", "pindah"},
	{"perpindahan", "pindah"}, {"pengesahan", "sah"}, {"disahkan", "sah"}, {"penetapan", "tetap"},
	{"ditetapkan", "tetap"}, {"penolakan", "tolak"}, {"ditolak", "tolak"}, {"pengecualian", "kecuali"},
	{"penandatanganan", "tandatangan"}, {"ditandatangani", "tandatangan"}, {"kerahasiaan", "rahasia"},
	{"pemantauan", "pantau"}, {"dipantau", "pantau"}, {"pengukuran", "ukur"}, {"terukur", "ukur"},
	{"penempatan", "tempat"}, {"ditempatkan", "tempat"}, {"kepuasan", "puas"}, {"memuaskan", "puas"},
	{"keselamatan", "selamat"}, {"pengamanan", "aman"}, {"pencegahan", "cegah"}, {"mencegah", "cegah"},
	{"penanggulangan", "tanggulang"}, {"pemulangan", "pulang"}, {"kepulangan", "pulang"},
	{"penjadwalan", "jadwal"}, {"dijadwalkan", "jadwal"}, {"pemeriksa", "periksa"}, {"diperiksa", "periksa"},
	{"pengarsipan", "arsip"}, {"diarsipkan", "arsip"}, {"kelulusan", "lulus"}, {"meluluskan", "lulus"},
	{"penyerahan", "serah"}, {"diserahkan", "serah"}, {"menyerahkan", "serah"}, {"diproses", "proses"},
	{"pembelajaran", "ajar"}, {"mengajar", "ajar"}, {"pengajar", "ajar"}, {"kepemimpinan", "pimpin"},
	{"pemimpin", "pimpin"}, {"dipimpin", "pimpin"}, {"kedisiplinan", "disiplin"},
	// particles and possessives
	{"laporannya", "lapor"}, {"bukunya", "buku"}, {"rumahku", "rumah"}, {"bantulah", "bantu"},
	{"datanya", "data"}, {"kantormu", "kantor"}, {"masalahnya", "masalah"}, {"tugasmu", "tugas"},
	// roots that look affixed, loanwords, short words: unchanged
	{"minta", "minta"}, {"makan", "makan"}, {"tani", "tani"}, {"kantor", "kantor"},
	{"anak", "anak"}, {"data", "data"}, {"server", "server"}, {"login", "login"},
	{"aplikasi", "aplikasi"}, {"pegawai", "pegawai"}, {"menteri", "menteri"},
	{"perangkat", "perangkat"}, {"sekolah", "sekolah"}, {"masalah", "masalah"},
	{"berkas", "berkas"}, {"media", "media"}, {"kelas", "kelas"}, {"kepala", "kepala"},
	{"selatan", "selatan"}, {"sejarah", "sejarah"}, {"kursi", "kursi"}, {"polisi", "polisi"},
	{"berita", "berita"}, {"sistem", "sistem"}, {"dokumen", "dokumen"}, {"teknologi", "teknologi"},
	{"password", "password"}, {"dashboard", "dashboard"}, {"ekonomi", "ekonomi"},
	{"sertifikat", "sertifikat"}, {"jalan", "jalan"}, {"bulan", "bulan"}, {"hari", "hari"},
	{"ibu", "ibu"}, {"tetapi", "tetapi"}, {"sebelum", "sebelum"}, {"dia", "dia"}, {"tv", "tv"}, {"2026", "2026"}, {"e-ktp", "e-ktp"},
	// case and accents fold first
	{"Pelayanan", "layan"}, {"MENGIRIMKAN", "kirim"}, {"pélayanan", "layan"}, {"Café", "cafe"},
}

func TestStemReducesAffixedWordsAndKeepsRoots(t *testing.T) {
	wrong := 0
	for _, c := range stemCases {
		if got := Stem(c.word); got != c.root {
			wrong++
			t.Errorf("Stem(%q) = %q, want %q", c.word, got, c.root)
		}
	}
	t.Logf("stemmer accuracy: %d/%d", len(stemCases)-wrong, len(stemCases))
}

func TestRootListHoldsOnlyLowercaseLetters(t *testing.T) {
	if len(roots) < 900 {
		t.Fatalf("only %d roots embedded", len(roots))
	}
	for w := range roots {
		for _, r := range w {
			if r < 'a' || r > 'z' {
				t.Errorf("root %q has %q", w, r)
			}
		}
	}
}
