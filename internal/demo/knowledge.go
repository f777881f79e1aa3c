package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// The demo city's knowledge base: categories with their reviewers and a
// handful of articles a Makassar operator, trainer or agent would write
// first — published, one waiting in review, one draft — with votes, so
// the home page's "most helpful" and each application's FAQ have content.

type demoCategory struct {
	name, description string
	reviewers         []string // roles (optionally "operator:<app slug>") whose first holder reviews
}

var demoCategories = []demoCategory{
	{"SIMPEG dan kepegawaian", "Data pegawai, DRH, cuti, kenaikan pangkat di SIMPEG.", []string{"operator:simpeg", "trainer"}},
	{"SIPD dan keuangan daerah", "Perencanaan dan penganggaran di SIPD dan E-Budgeting.", []string{"operator:sipd", "expert"}},
	{"Surel dan akun", "Webmail kota, kata sandi dan akun aplikasi.", []string{"agent", "expert"}},
	{"Presensi dan e-Kinerja", "E-Attendance, laporan kinerja harian dan tunjangan kinerja.", []string{"operator:e-attendance", "trainer"}},
}

type demoArticle struct {
	category     int    // index into demoCategories
	author       string // role as in demoCategory.reviewers
	status       string
	title, body  string
	apps         []string
	competencies []string
	helpful      int // votes "helpful" (and a third as many "not helpful")
}

var demoArticles = []demoArticle{
	{0, "operator:simpeg", knowledge.StatusPublished, "Cara memperbarui Daftar Riwayat Hidup (DRH) di SIMPEG",
		"DRH di SIMPEG menjadi dasar kenaikan pangkat dan mutasi, jadi periksa setiap tahun.\n\n## Langkah\n\n" +
			"1. Masuk ke [SIMPEG](https://simpeg.makassarkota.go.id) dengan NIP dan kata sandi Anda.\n" +
			"2. Pilih **Profil → Riwayat Hidup**.\n3. Ubah data yang keliru, lalu unggah bukti (SK, ijazah) sebagai PDF.\n" +
			"4. Tekan **Ajukan Verifikasi**. Operator BKPSDM memeriksa dalam 3 hari kerja.\n\n" +
			"> Perubahan nama atau tanggal lahir perlu surat keterangan dari Disdukcapil.\n",
		[]string{"simpeg"}, []string{"simpeg.pemutakhiran-data"}, 14},
	{0, "trainer", knowledge.StatusPublished, "Mengajukan cuti tahunan lewat SIMPEG",
		"Cuti tahunan diajukan paling lambat 3 hari kerja sebelumnya.\n\n1. Buka **Layanan → Cuti**.\n" +
			"2. Pilih jenis *Cuti Tahunan*, isi tanggal dan alamat selama cuti.\n3. Atasan langsung menyetujui di SIMPEG; " +
			"Anda menerima pemberitahuan.\n\n| Sisa cuti | Keterangan |\n|---|---|\n| 12 hari | hak tahun berjalan |\n" +
			"| 6 hari | paling banyak dibawa dari tahun lalu |\n",
		[]string{"simpeg"}, []string{"simpeg.layanan-mandiri"}, 22},
	{1, "operator:sipd", knowledge.StatusPublished, "Lupa kata sandi SIPD: alur reset lewat operator OPD",
		"SIPD dikelola Kemendagri; kata sandi tidak bisa direset oleh Diskominfo.\n\n" +
			"- Hubungi **operator SIPD di OPD Anda** (lihat halaman aplikasi SIPD di Lontara).\n" +
			"- Operator mengajukan reset lewat akun admin OPD; sandi sementara dikirim ke surel dinas Anda.\n" +
			"- Ganti sandi sementara saat pertama masuk.\n",
		[]string{"sipd"}, []string{"sipd.akun"}, 9},
	{1, "expert", knowledge.StatusPublished, "Menyusun RKA di SIPD: urutan yang sering keliru",
		"Susun RKA **setelah** sub kegiatan dan indikatornya terkunci, bukan sebaliknya.\n\n" +
			"1. Periksa pagu indikatif di E-Budgeting.\n2. Lengkapi sub kegiatan dan indikator kinerja di SIPD.\n" +
			"3. Baru isi rincian belanja (RKA) per sub kegiatan.\n4. Cetak dan minta paraf PPK sebelum verifikasi TAPD.\n",
		[]string{"sipd", "e-budgeting"}, []string{"sipd.penganggaran"}, 11},
	{2, "agent", knowledge.StatusPublished, "Mengatur webmail kota di ponsel (Android dan iPhone)",
		"Gunakan aplikasi surel bawaan ponsel dengan pengaturan IMAP.\n\n| Pengaturan | Nilai |\n|---|---|\n" +
			"| Server masuk (IMAP) | `mail.makassarkota.go.id`, port 993, SSL |\n" +
			"| Server keluar (SMTP) | `mail.makassarkota.go.id`, port 465, SSL |\n| Nama pengguna | alamat surel lengkap |\n\n" +
			"Jika ponsel menolak sertifikat, perbarui sistem operasinya dulu.\n",
		[]string{"webmail"}, []string{"tik.surel"}, 31},
	{2, "agent", knowledge.StatusPublished, "Kotak surat webmail penuh: mengosongkan dan mengarsipkan",
		"Kuota setiap kotak surat 2 GB. Saat penuh, surel masuk ditolak.\n\n- Kosongkan **Sampah** dan **Spam**.\n" +
			"- Simpan lampiran besar ke penyimpanan OPD, lalu hapus surelnya.\n" +
			"- Arsipkan surel lama: **Pengaturan → Impor/Ekspor → Ekspor** ke berkas.\n",
		[]string{"webmail"}, []string{"tik.surel"}, 17},
	{3, "operator:e-attendance", knowledge.StatusPublished, "Presensi tidak tercatat: yang dilakukan sebelum melapor",
		"Sebagian besar presensi yang hilang tercatat kembali dalam 15 menit.\n\n1. Pastikan GPS dan data seluler aktif.\n" +
			"2. Tunggu 15 menit, lalu muat ulang riwayat presensi.\n3. Jika tetap kosong, ajukan **koreksi presensi** " +
			"dengan bukti (tangkapan layar) paling lambat H+2.\n",
		[]string{"e-attendance"}, []string{"presensi.mandiri"}, 19},
	{3, "trainer", knowledge.StatusPublished, "Tunjangan kinerja tidak sesuai: memeriksa laporan e-Kinerja harian",
		"Tunjangan kinerja dihitung dari presensi **dan** laporan kinerja harian yang disetujui atasan.\n\n" +
			"- Buka rekap bulanan dan cari hari berstatus *belum disetujui*.\n- Ingatkan atasan untuk menyetujui sebelum tanggal 5.\n" +
			"- Koreksi setelah tanggal 5 masuk perhitungan bulan berikutnya.\n",
		[]string{"e-attendance"}, []string{"kinerja.laporan-harian"}, 12},
	{3, "operator:e-attendance", knowledge.StatusReview, "Mengirim laporan kinerja bulanan sebelum tanggal 5",
		"Draf untuk ditinjau: urutan mengirim laporan bulanan dan apa yang terjadi jika terlambat.\n",
		[]string{"e-attendance"}, []string{"kinerja.laporan-harian"}, 0},
	{0, "trainer", knowledge.StatusDraft, "Kenaikan pangkat reguler: berkas yang diunggah",
		"Masih ditulis: daftar berkas kenaikan pangkat April dan Oktober.\n", []string{"simpeg"}, nil, 0},
}

// writeKnowledge writes the knowledge base in the load's transaction,
// through the knowledge package (so articles are versioned, audited and
// indexed like any other): nothing when the world has no expert.
func writeKnowledge(ctx context.Context, tx *sql.Tx, ds *dataset, now time.Time) error {
	apps := map[string]int64{}
	for _, a := range ds.Apps {
		apps[a.Slug] = a.ID
	}
	holders := map[string][]int64{}
	for _, g := range ds.Grants {
		holders[g.Role] = append(holders[g.Role], g.AccountID)
		if g.Role == "operator" {
			for slug, id := range apps {
				if id == g.AppID {
					holders["operator:"+slug] = append(holders["operator:"+slug], g.AccountID)
				}
			}
		}
	}
	if len(holders["expert"]) == 0 {
		return nil
	}
	actor := func(role string) (*policy.Actor, bool) {
		ids := holders[role]
		if len(ids) == 0 {
			return nil, false
		}
		r := policy.Role(role)
		if len(role) > 9 && role[:9] == "operator:" {
			r = policy.Operator
		}
		return &policy.Actor{AccountID: ids[0], Name: ds.Employees[ids[0]-1].Name, Grants: []policy.Grant{{Role: r}}}, true
	}
	var categories []int64
	for i, c := range demoCategories {
		id, err := db.InsertID(ctx, tx, `INSERT INTO article_categories (name, description, position, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, c.name, c.description, i+1, now)
		if err != nil {
			return fmt.Errorf("demo: category: %w", err)
		}
		categories = append(categories, id)
		for _, role := range c.reviewers {
			if a, ok := actor(role); ok {
				if _, err := tx.ExecContext(ctx, `INSERT INTO article_category_reviewers (category_id, account_id) VALUES ($1, $2)
					ON CONFLICT DO NOTHING`, id, a.AccountID); err != nil {
					return fmt.Errorf("demo: reviewer: %w", err)
				}
			}
		}
	}
	expert, _ := actor("expert")
	voters := holders["employee"]
	if len(voters) == 0 { // employees hold their role outside ds.Grants: every account may vote
		for _, e := range ds.Employees {
			voters = append(voters, e.ID)
		}
	}
	for _, spec := range demoArticles {
		author, ok := actor(spec.author)
		if !ok {
			author = expert
		}
		d := knowledge.Draft{Title: spec.title, Body: spec.body, CategoryID: categories[spec.category],
			Competencies: spec.competencies}
		for _, slug := range spec.apps {
			if id, ok := apps[slug]; ok {
				d.AppIDs = append(d.AppIDs, id)
			}
		}
		a, err := knowledge.CreateDraft(ctx, tx, author, d)
		if err != nil {
			return fmt.Errorf("demo: article %q: %w", spec.title, err)
		}
		for k := 0; k < spec.helpful+spec.helpful/3 && k < len(voters); k++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_votes (article_id, account_id, helpful, voted_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, a.ID, voters[(k*37+int(a.ID))%len(voters)], k < spec.helpful, now); err != nil {
				return fmt.Errorf("demo: vote: %w", err)
			}
		}
		if spec.status == knowledge.StatusDraft {
			continue
		}
		if _, err := knowledge.Move(ctx, tx, author, a.ID, knowledge.StatusReview, ""); err != nil {
			return fmt.Errorf("demo: review %q: %w", spec.title, err)
		}
		if spec.status == knowledge.StatusPublished {
			if _, err := knowledge.Move(ctx, tx, expert, a.ID, knowledge.StatusPublished, ""); err != nil {
				return fmt.Errorf("demo: publish %q: %w", spec.title, err)
			}
		}
	}
	return nil
}
