package demo

// problem is a kind of ticket the help desk gets, with the words of the
// reporter, the first answer, the agent's note and the closing answer.
type problem struct {
	Category, Team, App, Tags string
	Subject, Body             string
	Reply, Note, Done         string
}

var problems = []problem{
	{"network", "jaringan", "", "internet,fiber", "Internet kantor mati sejak pagi",
		"Semua komputer di ruangan kami tidak bisa membuka internet sejak pukul 08.00. Lampu LOS di modem menyala merah.",
		"Terima kasih laporannya. Teknisi kami sedang memeriksa jalur fiber ke gedung Bapak/Ibu, mohon ditunggu.",
		"OLT port 3 down, kabel tertarik saat galian saluran. Koordinasi dengan ISP untuk penyambungan.",
		"Kabel fiber sudah disambung ulang dan internet kembali normal. Silakan dicoba; balas tiket ini bila masih terputus."},
	{"network", "jaringan", "", "wifi", "Wi-Fi lantai 2 sering putus",
		"Sinyal Wi-Fi di lantai 2 putus-sambung setiap beberapa menit, terutama siang hari saat ramai.",
		"Kami akan mengecek titik akses di lantai 2. Boleh disebutkan ruangan mana yang paling sering terputus?",
		"AP lantai 2 kelebihan klien (80+). Pindahkan kanal ke 5 GHz dan tambah satu AP di ruang rapat.",
		"Titik akses tambahan sudah dipasang dan kanalnya diatur ulang. Koneksi seharusnya stabil sekarang."},
	{"network", "jaringan", "", "vpn", "VPN tidak bisa tersambung dari rumah",
		"Saat bekerja dari rumah, aplikasi VPN berhenti di 'menghubungkan' lalu gagal. Kemarin masih bisa.",
		"Mohon pastikan aplikasi VPN sudah versi terbaru. Kami cek juga akun VPN Bapak/Ibu.",
		"Sertifikat klien VPN kedaluwarsa kemarin. Terbitkan ulang dan kirim profil baru.",
		"Profil VPN baru sudah kami kirim ke email dinas. Impor profilnya lalu sambungkan kembali."},
	{"other", "jaringan", "", "printer", "Printer jaringan tidak terdeteksi",
		"Printer bersama di ruang TU tidak muncul di daftar printer komputer kami sejak dipindah mejanya.",
		"Kemungkinan alamat IP printer berubah setelah dipindah. Kami periksa dari jaringan.",
		"Printer dapat IP DHCP baru. Set IP statis 10.20.3.15 dan perbarui di server cetak.",
		"Printer sudah diberi alamat tetap dan kembali terdeteksi. Silakan coba mencetak."},
	{"application", "aplikasi", "simpeg", "simpeg,galat-502", "SIMPEG tidak bisa dibuka, muncul galat 502",
		"Setiap membuka SIMPEG muncul 502 Bad Gateway. Kami perlu mengunggah SK hari ini.",
		"Mohon maaf atas gangguannya. Tim kami sedang memeriksa server SIMPEG.",
		"Layanan aplikasi SIMPEG berhenti karena disk log penuh. Bersihkan log, aktifkan rotasi.",
		"Server SIMPEG sudah pulih dan bisa diakses kembali. Silakan lanjutkan unggahan SK."},
	{"application", "aplikasi", "simpeg", "simpeg,data", "Data pangkat di SIMPEG belum diperbarui",
		"Kenaikan pangkat saya per 1 April belum tampil di SIMPEG, masih golongan lama.",
		"Kami cek data Bapak/Ibu di SIMPEG dan berkoordinasi dengan BKPSDM.",
		"SK kenaikan pangkat belum diverifikasi BKPSDM. Minta operator BKPSDM memverifikasi.",
		"Data pangkat sudah diperbarui setelah verifikasi BKPSDM. Silakan muat ulang halaman profil."},
	{"application", "aplikasi", "e-attendance", "absensi", "Absensi E-Attendance tidak tercatat",
		"Saya sudah absen pagi dengan sidik jari, tetapi di E-Attendance tercatat tidak hadir.",
		"Terima kasih. Kami periksa log mesin absensi di kantor Bapak/Ibu.",
		"Mesin sidik jari gagal sinkron semalam (jam mesin mundur). Sinkron ulang dan koreksi jam.",
		"Data absensi sudah tersinkron dan kehadiran Bapak/Ibu tercatat. Mohon dicek di menu riwayat."},
	{"application", "aplikasi", "e-attendance", "absensi,gps", "Lokasi absen dianggap di luar kantor",
		"Absen lewat ponsel selalu ditolak karena 'di luar radius kantor', padahal saya di ruangan.",
		"Mohon aktifkan mode lokasi akurasi tinggi di ponsel, lalu coba lagi. Kami cek titik kantornya.",
		"Koordinat kantor di E-Attendance salah (titik gedung lama). Perbarui koordinat dan radius.",
		"Titik lokasi kantor sudah diperbaiki. Absen lewat ponsel sekarang bisa dilakukan dari gedung baru."},
	{"application", "aplikasi", "e-budgeting", "e-budgeting,lambat", "E-Budgeting lambat saat input RKA",
		"Menyimpan rincian RKA di E-Budgeting butuh lebih dari satu menit, kadang gagal.",
		"Kami catat. Pada jam berapa biasanya paling lambat?",
		"Beban puncak jam 10–12 saat penyusunan RKA. Tambah indeks tabel rincian dan naikkan pool koneksi.",
		"Kinerja E-Budgeting sudah kami tingkatkan; penyimpanan RKA kini beberapa detik saja."},
	{"application", "aplikasi", "sipd", "sipd,sinkronisasi", "Gagal sinkron data ke SIPD",
		"Tombol sinkron ke SIPD Kemendagri selalu gagal dengan pesan 'token tidak valid'.",
		"Kami periksa integrasi dengan SIPD. Mohon tunggu kabar dari kami.",
		"Token API SIPD habis masa berlaku. Minta token baru ke admin SIPD provinsi.",
		"Token integrasi sudah diperbarui dan sinkron ke SIPD berhasil. Silakan dicoba kembali."},
	{"application", "aplikasi", "website-opd", "website", "Berita baru tidak tampil di Website OPD",
		"Berita yang kami terbitkan tadi pagi tidak muncul di halaman depan website dinas.",
		"Kami cek pengaturan tembolok website OPD Bapak/Ibu.",
		"Cache CDN tidak terhapus setelah terbit. Bersihkan cache dan perbaiki hook penerbitan.",
		"Berita sudah tampil. Ke depan, tembolok akan terhapus otomatis saat berita diterbitkan."},
	{"application", "aplikasi", "dottorota", "dottorota", "Antrean pasien Dottoro'ta tidak muncul",
		"Di puskesmas kami, daftar antrean pasien Dottoro'ta kosong padahal ada pasien yang mendaftar.",
		"Terima kasih, kami cek layanan antrean Dottoro'ta untuk puskesmas Bapak/Ibu.",
		"Layanan notifikasi antrean macet setelah pembaruan. Mulai ulang worker antrean.",
		"Antrean sudah tampil kembali. Mohon kabari kami bila ada pasien yang belum muncul."},
	{"application", "aplikasi", "makassar-war-room", "war-room,dasbor", "Dasbor War Room tidak memperbarui data",
		"Angka di dasbor War Room sejak kemarin tidak berubah.",
		"Kami periksa jadwal penarikan data dasbor War Room.",
		"Job ETL gagal karena kolom baru di sumber data. Sesuaikan pemetaan kolom.",
		"Data dasbor sudah diperbarui dan job penarikan data berjalan normal kembali."},
	{"account", "akun-akses", "webmail", "password,webmail", "Lupa kata sandi webmail",
		"Saya lupa kata sandi email dinas dan tidak bisa masuk webmail.",
		"Kami bantu atur ulang. Mohon konfirmasi NIP Bapak/Ibu untuk verifikasi.",
		"Identitas dicocokkan dengan NIP dan nomor ponsel di SIMPEG. Reset sandi, wajib ganti saat masuk.",
		"Kata sandi sementara sudah kami kirim lewat SMS ke nomor terdaftar. Segera ganti setelah masuk."},
	{"account", "akun-akses", "simpeg", "akun-terkunci", "Akun SIMPEG terkunci",
		"Akun SIMPEG saya terkunci setelah beberapa kali salah memasukkan kata sandi.",
		"Kami buka kuncinya setelah verifikasi. Mohon tunggu sebentar.",
		"Lima kali gagal masuk dari IP kantor. Buka kunci, sarankan pengelola kata sandi.",
		"Akun sudah dibuka kembali. Silakan masuk dan ganti kata sandi bila perlu."},
	{"request", "akun-akses", "e-budgeting", "akses", "Permohonan akses operator E-Budgeting",
		"Mohon diberikan akses operator E-Budgeting untuk staf perencanaan baru di dinas kami.",
		"Mohon lampirkan surat penunjukan dari kepala OPD agar akses dapat kami berikan.",
		"Surat penunjukan sudah diterima. Beri peran operator untuk OPD terkait saja.",
		"Akses operator sudah aktif. Staf dapat masuk dengan akun SSO masing-masing."},
	{"request", "akun-akses", "webmail", "email-baru", "Pembuatan email dinas untuk pegawai baru",
		"Kami punya tiga pegawai PPPK baru yang belum memiliki alamat email @makassarkota.go.id.",
		"Baik, mohon kirimkan nama lengkap dan NIP ketiga pegawai tersebut.",
		"Tiga akun dibuat sesuai format nama.nip; kuota 5 GB.",
		"Ketiga akun email sudah dibuat; kata sandi awal dikirim ke nomor ponsel masing-masing."},
	{"application", "akun-akses", "webmail", "webmail,kuota", "Kotak surat webmail penuh",
		"Webmail saya menolak email masuk karena kuota penuh.",
		"Kami bantu. Untuk sementara mohon hapus lampiran besar di folder Terkirim.",
		"Kuota 2 GB terpakai 99%. Naikkan ke 5 GB sesuai kebijakan pejabat struktural.",
		"Kuota kotak surat sudah dinaikkan menjadi 5 GB. Email masuk sudah diterima kembali."},
	{"procedure", "aplikasi", "simpeg", "prosedur", "Cara mengajukan kenaikan pangkat lewat SIMPEG",
		"Bagaimana langkah mengajukan usulan kenaikan pangkat reguler melalui SIMPEG?",
		"Usulan diajukan dari menu Layanan > Kenaikan Pangkat; unggah SKP dua tahun terakhir dan SK terakhir.",
		"Pertanyaan berulang; usulkan jadi artikel FAQ.",
		"Panduan langkah demi langkah sudah kami kirimkan. Silakan balas bila ada langkah yang belum jelas."},
	{"procedure", "akun-akses", "", "prosedur,mutasi", "Akun setelah pindah OPD",
		"Saya baru mutasi ke kecamatan. Apakah akun aplikasi saya ikut pindah?",
		"Akun Bapak/Ibu tetap sama; hak akses di OPD lama dicabut dan operator OPD baru memberi akses baru.",
		"Cek data mutasi di SIMPEG sudah sesuai.",
		"Data mutasi sudah sesuai dan akses di OPD baru sudah diberikan operator."},
}

// Words of the demo's ratings by score, and of outside callers.
var (
	ratingComments = [][]string{
		{"Masalahnya belum benar-benar selesai."},
		{"Terlalu lama ditangani.", "Harus menelepon beberapa kali."},
		{"Selesai, tetapi cukup lama menunggu.", ""},
		{"Sudah beres, terima kasih.", "Penjelasannya jelas.", ""},
		{"Cepat dan jelas, terima kasih!", "Petugasnya ramah dan sabar.", "Mantap, langsung bisa dipakai lagi.", ""},
	}
	callers = []string{"Daeng Rani (kader posyandu)", "Pak Ansar (operator sekolah)", "Ibu Hasnah (UPT Puskesmas)",
		"Muh. Ikbal (pendamping desa)"}
	pendingAsk = "Mohon kirimkan tangkapan layar pesan galatnya agar kami dapat menelusuri lebih lanjut."
)

// Channels, priorities and scores drawn with these shares.
var (
	deskChannels   = []string{"web", "web", "web", "web", "web", "phone", "phone", "whatsapp", "whatsapp", "email", "sms"}
	deskPriorities = []string{"low", "low", "normal", "normal", "normal", "normal", "normal", "high", "high", "urgent"}
	deskScores     = []int{1, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5}
)
