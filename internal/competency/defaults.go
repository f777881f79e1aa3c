package competency

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// The default framework: what every city running e-government needs, in
// two frameworks — the general digital competencies and one operating and
// one administering competency per application. EnsureDefaults makes
// whatever of it is missing; it runs when the server starts (a fresh
// install gets the framework on its first start), every hour after (a new
// application gets its two competencies) and in the demo. It never
// changes or brings back what the expert team has edited or retired.

// Codes of the general competencies, fixed so that other parts (events,
// articles, the help desk's inferred needs) can name them.
const (
	CodeDigitalLiteracy = "literasi-digital"
	CodeSecurity        = "keamanan-informasi"
	CodeWebmail         = "webmail"
	CodeWebsite         = "konten-website"
	CodeData            = "manajemen-data"
	CodeNetwork         = "dasar-jaringan"
)

// Codes of the two default frameworks.
const (
	FrameworkGeneral = "digital-umum"
	FrameworkApps    = "aplikasi-egov"
)

// AppCode returns the code of an application's competency: <slug>.operasi
// for operating it, <slug>.administrasi for administering it.
func AppCode(slug, use string) string {
	if use == UseAdminister {
		return slug + ".administrasi"
	}
	return slug + ".operasi"
}

func months(n int) *int { return &n }

// generalDefaults are the general competencies with their levels.
var generalDefaults = []Input{
	{Code: CodeDigitalLiteracy, Name: "Literasi digital",
		Description: "Memakai perangkat dan layanan digital kantor untuk pekerjaan sehari-hari: komputer, ponsel, berkas, peramban, aplikasi perkantoran, dan rapat daring.",
		Levels: []string{
			"Mengenal perangkat dan aplikasi perkantoran dasar; masih sering perlu dibantu untuk menyimpan, mencari, dan mengirim berkas.",
			"Mengetik, menyimpan, dan berbagi dokumen, memakai peramban dan rapat daring dengan sedikit bantuan.",
			"Mandiri memakai aplikasi perkantoran, penyimpanan bersama, dan layanan daring; menyelesaikan kendala sehari-hari sendiri.",
			"Membimbing rekan kerja, menyusun panduan singkat, dan mengusulkan cara kerja digital yang lebih baik di unitnya.",
		}},
	{Code: CodeSecurity, Name: "Kesadaran keamanan informasi", ValidityMonths: months(12),
		Description: "Menjaga akun, perangkat, dan data pemerintah dari kebocoran dan penipuan; diperbarui tiap tahun karena ancamannya terus berubah.",
		Levels: []string{
			"Tahu pentingnya kata sandi yang kuat dan tidak membagikan akun kepada orang lain.",
			"Mengenali surel penipuan (phishing), memakai verifikasi dua langkah, dan mengunci perangkat saat ditinggal.",
			"Menangani data pribadi dan dokumen rahasia sesuai aturan, serta segera melaporkan insiden ke help desk.",
			"Memberi sosialisasi keamanan di OPD, memeriksa kepatuhan unitnya, dan ikut menangani insiden bersama Diskominfo.",
		}},
	{Code: CodeWebmail, Name: "Surel dinas (webmail)",
		Description: "Memakai surel resmi pemerintah kota untuk korespondensi dinas, termasuk lampiran, folder, dan kalender.",
		Levels: []string{
			"Bisa masuk ke webmail, membaca, dan membalas surel.",
			"Mengirim surel dengan lampiran, memakai tembusan dengan benar, dan mengatur folder.",
			"Memakai tanda tangan resmi, filter, kalender, dan berbagi kotak surat unit dengan tertib.",
			"Membantu rekan mengatasi masalah surel dan mengelola alamat surel unit atau OPD.",
		}},
	{Code: CodeWebsite, Name: "Pengelolaan konten website", ValidityMonths: months(24),
		Description: "Menulis dan menerbitkan berita, pengumuman, dan informasi publik di website OPD sesuai pedoman kota.",
		Levels: []string{
			"Mengenal bagian-bagian website OPD dan siapa pengelolanya.",
			"Mengunggah berita dan foto ke website dengan bimbingan admin.",
			"Menulis, menyunting, dan menerbitkan konten sendiri sesuai pedoman, termasuk informasi publik wajib.",
			"Menyusun rencana konten, memeriksa mutu tulisan rekan, dan melatih pengelola website OPD lain.",
		}},
	{Code: CodeData, Name: "Manajemen data", ValidityMonths: months(24),
		Description: "Mengumpulkan, merapikan, menyimpan, dan berbagi data OPD untuk Satu Data, laporan, dan pengambilan keputusan.",
		Levels: []string{
			"Memahami mengapa data perlu lengkap, benar, dan diperbarui.",
			"Mengisi dan merapikan tabel data dengan format yang ditentukan.",
			"Mengolah data dengan lembar kerja, memeriksa mutunya, dan mengirimkannya ke portal Satu Data.",
			"Merancang struktur data OPD, menetapkan standar, dan membimbing petugas data lain.",
		}},
	{Code: CodeNetwork, Name: "Dasar jaringan", ValidityMonths: months(24),
		Description: "Memahami jaringan kantor dan internet: sambungan kabel dan Wi-Fi, alamat IP, dan cara memeriksa gangguan sebelum melapor.",
		Levels: []string{
			"Bisa menyambungkan perangkat ke jaringan kantor dan tahu ke mana melapor bila terputus.",
			"Memeriksa kabel, Wi-Fi, dan sambungan internet sendiri sebelum melapor gangguan.",
			"Mengatur alamat IP, pencetak jaringan, dan titik akses sederhana di unit kerjanya.",
			"Menangani gangguan jaringan OPD bersama tim Diskominfo dan membimbing petugas lain.",
		}},
}

// appDefaults returns the default competencies of an application.
func appDefaults(frameworkID, appID int64, slug, name string) []Input {
	operate, administer := UseOperate, UseAdminister
	return []Input{
		{FrameworkID: frameworkID, Code: AppCode(slug, UseOperate), Name: "Mengoperasikan " + name, AppID: &appID,
			AppUse: &operate, ValidityMonths: months(24),
			Description: "Menjalankan " + name + " sebagai operator di OPD: memasukkan data, mengikuti alurnya, dan menyelesaikan pekerjaan rutin tepat waktu.",
			Levels: []string{
				"Mengenal tujuan " + name + " dan menu utamanya; bisa masuk dengan akunnya sendiri.",
				"Memasukkan dan memperbaiki data di " + name + " dengan bimbingan operator lain atau panduan.",
				"Menyelesaikan seluruh pekerjaan rutin di " + name + " secara mandiri dan mengatasi kesalahan yang umum terjadi.",
				"Membimbing operator lain, menulis panduan atau FAQ " + name + ", dan menyampaikan usulan perbaikan kepada pengelola aplikasi.",
			}},
		{FrameworkID: frameworkID, Code: AppCode(slug, UseAdminister), Name: "Mengelola " + name, AppID: &appID,
			AppUse: &administer, ValidityMonths: months(12),
			Description: "Mengelola " + name + " sebagai admin: akun dan hak akses, pengaturan, data induk, dan pendampingan operator.",
			Levels: []string{
				"Memahami peran admin " + name + " dan batas kewenangannya.",
				"Membuat dan menonaktifkan akun serta mengatur hak akses " + name + " dengan bimbingan.",
				"Mengelola pengaturan, data induk, dan hak akses " + name + " secara mandiri, serta menindaklanjuti laporan operator.",
				"Merancang tata kelola " + name + ", mengawasi keamanannya, dan melatih admin di OPD lain.",
			}},
	}
}

// defaultsLock is an arbitrary key for pg_advisory_xact_lock, held while
// the default framework is checked and made.
const defaultsLock = 7352_0501

// EnsureDefaults makes whatever of the default framework is missing and
// returns how many competencies it added. It is safe to run on every node
// at once: on PostgreSQL the runs take turns (an advisory lock held to the
// end of the transaction; each statement after it sees what the run before
// committed), on SQLite the one writer makes them take turns; what another
// run made first is left alone.
func EnsureDefaults(ctx context.Context, d *db.DB) (int, error) {
	actor := policy.SystemActor("competency-defaults")
	added := 0
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		added = 0
		if d.Engine() == db.Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, defaultsLock); err != nil {
				return fmt.Errorf("default framework: lock: %w", err)
			}
		}
		general, fresh1, err := ensureFramework(ctx, tx, d.Dialect, actor, FrameworkInput{Code: FrameworkGeneral,
			Name: "Kompetensi digital umum", Description: "Kompetensi digital yang dibutuhkan setiap pegawai, apa pun jabatannya."})
		if err != nil {
			return err
		}
		apps, fresh2, err := ensureFramework(ctx, tx, d.Dialect, actor, FrameworkInput{Code: FrameworkApps,
			Name: "Kompetensi aplikasi e-government", Description: "Mengoperasikan dan mengelola setiap aplikasi e-government kota."})
		if err != nil {
			return err
		}
		var wanted []Input
		for _, in := range generalDefaults {
			in.FrameworkID = general
			wanted = append(wanted, in)
		}
		list, err := appsWithout(ctx, tx)
		if err != nil {
			return err
		}
		for _, a := range list {
			wanted = append(wanted, appDefaults(apps, a.id, a.slug, a.name)...)
		}
		perFramework := map[int64]int{}
		for _, in := range wanted {
			if !codePattern.MatchString(in.Code) {
				continue // a slug too long for a code: the expert team adds it by hand
			}
			var n int
			q := `SELECT count(*) FROM competencies WHERE code = $1`
			args := []any{in.Code}
			if in.AppID != nil {
				q += ` OR (app_id = $2 AND app_use = $3)`
				args = append(args, *in.AppID, *in.AppUse)
			}
			if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				return fmt.Errorf("default %s: %w", in.Code, err)
			}
			if n > 0 {
				continue
			}
			if _, err := createCompetency(ctx, tx, d.Dialect, actor, in, false); err != nil {
				return fmt.Errorf("default %s: %w", in.Code, err)
			}
			perFramework[in.FrameworkID]++
			added++
		}
		at := clock()
		for id, n := range perFramework {
			if (id == general && fresh1) || (id == apps && fresh2) {
				continue // version 1 is the framework as first made
			}
			if err := bumpFramework(ctx, tx, actor, id, fmt.Sprintf("+ %d (default)", n), at); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// ensureFramework returns the framework with in's code, making it when
// missing (fresh).
func ensureFramework(ctx context.Context, tx db.Querier, dialect db.Dialect, actor *policy.Actor, in FrameworkInput) (id int64, fresh bool, err error) {
	err = tx.QueryRowContext(ctx, `SELECT id FROM competency_frameworks WHERE code = $1`, in.Code).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	if err != sql.ErrNoRows {
		return 0, false, fmt.Errorf("framework %s: %w", in.Code, err)
	}
	id, err = createFramework(ctx, tx, dialect, actor, in)
	return id, true, err
}

type appRow struct {
	id         int64
	slug, name string
}

// appsWithout lists the applications in use that lack an operating or an
// administering competency.
func appsWithout(ctx context.Context, tx db.Querier) ([]appRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.slug, a.name FROM apps a WHERE a.status <> 'retired'
		AND (SELECT count(*) FROM competencies c WHERE c.app_id = a.id) < 2 ORDER BY a.name, a.id`)
	if err != nil {
		return nil, fmt.Errorf("apps without competencies: %w", err)
	}
	defer rows.Close()
	var list []appRow
	for rows.Next() {
		var a appRow
		if err := rows.Scan(&a.id, &a.slug, &a.name); err != nil {
			return nil, fmt.Errorf("apps without competencies: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// DefaultsJob keeps the default framework complete, as a job of the
// server: at its start (a fresh install's first) and every hour after, for
// the applications added since.
func (s *Service) DefaultsJob(ctx context.Context, _ time.Time) error {
	_, err := EnsureDefaults(ctx, s.db)
	return err
}
