package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/mentoring"
	"github.com/lontara-id/lontara/internal/paths"
	"github.com/lontara-id/lontara/internal/policy"
)

// selfStudy are the demo city's self-study modules, with the competency
// (by code) each builds when the framework has it.
var selfStudy = []struct {
	Title, Link, Competency, Description string
	JP                                   int
}{
	{"Modul mandiri: Dasar keamanan informasi", "https://belajar.makassarkota.go.id/keamanan-informasi", "keamanan-informasi",
		"Kata sandi yang kuat, verifikasi dua langkah, mengenali surel phishing dan melaporkan insiden.", 4},
	{"Modul mandiri: Mengelola surel dinas", "https://belajar.makassarkota.go.id/webmail", "webmail",
		"Webmail kota: folder, filter, tanda tangan, lampiran besar lewat tautan, dan etika surel dinas.", 2},
	{"Modul mandiri: Menulis berita untuk website OPD", "https://belajar.makassarkota.go.id/konten-website", "konten-website",
		"Judul yang jelas, foto dengan keterangan, bahasa yang mudah dipahami warga, dan jadwal pembaruan.", 3},
	{"Modul mandiri: Mengolah data dengan lembar kerja", "https://belajar.makassarkota.go.id/manajemen-data", "manajemen-data",
		"Tabel yang rapi, validasi isian, tabel pivot, dan berbagi data tanpa membocorkan data pribadi.", 4},
}

// pastLearning is what the demo city's people finished earlier this year
// outside Lontara, as their agencies recorded it (source manual).
var pastLearning = []struct {
	Kind, Title, Provider string
	JP                    int
}{
	{"bimtek", "Bimtek pengelolaan arsip elektronik (SRIKANDI)", "ANRI", 12},
	{"workshop", "Lokakarya layanan publik berbasis digital", "BPSDM Provinsi Sulawesi Selatan", 8},
	{"online_meeting", "Webinar Budaya kerja digital ASN", "BPSDM Provinsi Sulawesi Selatan", 3},
	{"course", "Pelatihan dasar jaringan komputer", "BPSDM Provinsi Sulawesi Selatan", 16},
	{"bimtek", "Bimtek SIPD penatausahaan keuangan", "Kementerian Dalam Negeri", 10},
	{"online_meeting", "Webinar Mengenali hoaks", "Kementerian Komunikasi dan Digital", 2},
}

// loadDevelopment gives the demo city its development beyond events:
// self-study modules, learning paths (one open, one assigned to new SIPD
// operators), a year of finished learning in the JP ledger so the city,
// agency and personal views show who is behind, some self-study
// completions, and trainers mentoring people in their agencies. It looks
// up what other parts of the demo made (competencies, SIPD activities) by
// code and title, and does without what is missing.
func loadDevelopment(ctx context.Context, d *db.DB, ds *dataset) error {
	r := rand.New(rand.NewPCG(5, 20))
	zone := cityZone()
	now := time.Now().UTC()
	modules, err := demoModules(ctx, d, now)
	if err != nil {
		return err
	}
	if err := demoLedger(ctx, d, ds, r, zone, now); err != nil {
		return err
	}
	if err := demoSelfStudy(ctx, d, ds, r, modules, now); err != nil {
		return err
	}
	if err := demoPaths(ctx, d, ds, modules); err != nil {
		return err
	}
	return demoMentoring(ctx, d, ds, r, now)
}

// demoModules adds the self-study modules and returns their ids in order.
func demoModules(ctx context.Context, d *db.DB, now time.Time) ([]int64, error) {
	var ids []int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range selfStudy {
			id, err := db.InsertID(ctx, tx, `INSERT INTO activities (kind, title, description, jp, link, created_at,
				updated_at) VALUES ('self_study', $1, $2, $3, $4, $5, $5) RETURNING id`, m.Title, m.Description, m.JP, m.Link, now)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO activity_competencies (activity_id, competency_id, level)
				SELECT $1, id, 2 FROM competencies WHERE code = $2`, id, m.Competency); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: self-study modules: %w", err)
	}
	return ids, nil
}

// demoLedger records this year's earlier learning, done outside Lontara,
// for about two people in three, so that some meet the 20 JP, many are on their way and some have
// none.
func demoLedger(ctx context.Context, d *db.DB, ds *dataset, r *rand.Rand, zone *time.Location, now time.Time) error {
	start := time.Date(now.In(zone).Year(), 1, 1, 0, 0, 0, 0, zone).UTC()
	span := now.Sub(start)
	if span < 24*time.Hour {
		return nil // the year has just begun: nothing finished yet
	}
	type rec struct {
		person int64
		i      int
		at     time.Time
	}
	var recs []rec
	for _, e := range ds.Employees {
		if r.IntN(3) == 0 {
			continue
		}
		for range 1 + r.IntN(3) {
			recs = append(recs, rec{e.ID, r.IntN(len(pastLearning)), start.Add(time.Duration(r.Int64N(int64(span))))})
		}
	}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := bulk(ctx, tx, d.Engine(), "external_learning", []string{"employee_id", "kind", "title", "provider",
			"evidence", "jp", "completed_at", "created_at"}, len(recs), func(i int, a []any) []any {
			p := pastLearning[recs[i].i]
			return append(a, recs[i].person, p.Kind, p.Title, p.Provider, fmt.Sprintf("Sertifikat %05d", i+1), p.JP,
				recs[i].at, now)
		}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO learning_records (employee_id, kind, title, jp, source_kind, source_id,
			completed_at, created_at) SELECT employee_id, kind, title, jp, $1, id, completed_at, $2 FROM external_learning`,
			ledger.SourceManual, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: ledger: %w", err)
	}
	return nil
}

// reflections are what people wrote when they finished a module.
var reflections = []string{
	"Saya jadi tahu cara mengaktifkan verifikasi dua langkah dan sudah memasangnya di akun saya.",
	"Bagian tentang surel palsu sangat berguna; minggu lalu saya hampir mengeklik tautan seperti itu.",
	"Saya mulai memakai filter dan folder sehingga surat masuk dari pimpinan tidak terlewat.",
	"Tabel pivot membantu saya merekap data aset per bidang dalam beberapa menit saja.",
	"Saya belajar menulis judul berita yang singkat dan memberi keterangan pada setiap foto.",
}

// demoSelfStudy has about one person in five finish one or two modules
// some weeks ago, with a reflection, in their ledger.
func demoSelfStudy(ctx context.Context, d *db.DB, ds *dataset, r *rand.Rand, modules []int64, now time.Time) error {
	type done struct {
		person, module int64
		at             time.Time
	}
	var list []done
	for _, e := range ds.Employees {
		if r.IntN(5) != 0 {
			continue
		}
		first := r.IntN(len(modules))
		for k := range 1 + r.IntN(2) {
			i := (first + k) % len(modules)
			list = append(list, done{e.ID, modules[i], now.AddDate(0, 0, -1-r.IntN(60))})
		}
	}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := bulk(ctx, tx, d.Engine(), "self_study_completions", []string{"employee_id", "activity_id", "reflection",
			"completed_at"}, len(list), func(i int, a []any) []any {
			return append(a, list[i].person, list[i].module, reflections[i%len(reflections)], list[i].at)
		}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO learning_records (employee_id, kind, title, jp, activity_id, source_kind,
			source_id, completed_at, created_at) SELECT c.employee_id, 'self_study', a.title, a.jp, a.id, $1, c.id,
			c.completed_at, $2 FROM self_study_completions c JOIN activities a ON a.id = c.activity_id`, ledger.SourceSelfStudy, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: self-study: %w", err)
	}
	return nil
}

// demoPaths makes an open path of the self-study modules and an assigned
// one for new SIPD operators, with the SIPD operators assigned to it.
func demoPaths(ctx context.Context, d *db.DB, ds *dataset, modules []int64) error {
	expert := demoPeople(ds)["expert"]
	if expert == nil || len(modules) < 4 {
		return nil
	}
	svc := paths.NewService(d)
	if _, err := svc.Create(ctx, expert, paths.Input{Title: "Literasi digital untuk ASN baru", Open: true,
		Description: "Empat modul mandiri yang sebaiknya diselesaikan setiap pegawai baru pada **tiga bulan pertama**.",
		ActivityIDs: modules}); err != nil {
		return fmt.Errorf("demo: path: %w", err)
	}
	sipd, err := db.IDs(ctx, d.R, `SELECT id FROM activities WHERE retired_at IS NULL AND kind <> 'self_study'
		AND title LIKE '%SIPD%' ORDER BY id LIMIT 3`)
	if err != nil {
		return fmt.Errorf("demo: SIPD activities: %w", err)
	}
	p, err := svc.Create(ctx, expert, paths.Input{Title: "Operator SIPD baru",
		Description: "Untuk operator SIPD yang baru ditunjuk OPD: bimtek SIPD (bila dijadwalkan), lalu dasar keamanan " +
			"informasi dan pengolahan data.", ActivityIDs: append(sipd, modules[0], modules[3])})
	if err != nil {
		return fmt.Errorf("demo: path: %w", err)
	}
	operators, err := db.IDs(ctx, d.R, `SELECT DISTINCT c.employee_id FROM role_grants g JOIN accounts c ON c.id = g.account_id
		JOIN apps a ON a.id = g.app_id WHERE g.role = 'operator' AND a.slug = 'sipd' ORDER BY c.employee_id LIMIT 12`)
	if err != nil {
		return fmt.Errorf("demo: SIPD operators: %w", err)
	}
	for _, op := range operators {
		if _, err := svc.Assign(ctx, expert, p.ID, op); err != nil {
			return fmt.Errorf("demo: assign to path: %w", err)
		}
	}
	return nil
}

// demoMentoring has each placed trainer mentor two people of their agency,
// with a few sessions logged over the past weeks.
func demoMentoring(ctx context.Context, d *db.DB, ds *dataset, r *rand.Rand, now time.Time) error {
	svc := mentoring.NewService(d)
	system := policy.SystemActor("demo")
	topics := []string{"Menyusun RKA di SIPD", "Mengunggah berkas kenaikan pangkat di SIMPEG", "Mengamankan akun webmail",
		"Memperbarui berita di website OPD", "Merapikan data aset dalam lembar kerja"}
	people := demoPeople(ds)
	placed := map[int64]int{} // trainers placed so far per agency, so each mentors other people
	for _, g := range ds.Grants {
		if g.Role != "trainer" || g.AgencyID == 0 {
			continue
		}
		offset := 2 * placed[g.AgencyID]
		placed[g.AgencyID]++
		trainer := people["expert"]
		if t := actorOf(ds, g.AccountID); t != nil {
			trainer = t
		}
		mentees, err := db.IDs(ctx, d.R, `SELECT e.id FROM employees e WHERE e.agency_id = $1 AND e.active
			AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = e.id AND g.role = 'trainer')
			ORDER BY e.id LIMIT 2 OFFSET $2`, g.AgencyID, offset)
		if err != nil {
			return fmt.Errorf("demo: mentees: %w", err)
		}
		for _, m := range mentees {
			a, err := svc.Assign(ctx, system, mentoring.AssignInput{AgencyID: g.AgencyID, MentorAccountID: g.AccountID,
				EmployeeID: m, Goal: "Mandiri menjalankan aplikasi yang menjadi tugasnya dalam tiga bulan."})
			if err != nil {
				return fmt.Errorf("demo: mentoring: %w", err)
			}
			// Assigned two months ago, as the sessions below are past.
			if _, err := d.W.ExecContext(ctx, `UPDATE mentoring_assignments SET created_at = $1 WHERE id = $2`,
				now.AddDate(0, -2, 0), a.ID); err != nil {
				return fmt.Errorf("demo: mentoring: %w", err)
			}
			for k := range 1 + r.IntN(3) {
				held := now.AddDate(0, 0, -7*(k+1)).Truncate(time.Hour)
				if _, err := svc.Log(ctx, trainer, a.ID, mentoring.SessionInput{HeldAt: held, JP: 2,
					Topic: topics[r.IntN(len(topics))], Notes: "Latihan langsung di meja kerja; pertanyaan dicatat untuk sesi berikutnya."}); err != nil {
					return fmt.Errorf("demo: mentoring session: %w", err)
				}
			}
		}
	}
	return nil
}

// actorOf is the demo person with account id as an actor.
func actorOf(ds *dataset, id int64) *policy.Actor {
	for _, e := range ds.Employees {
		if e.ID != id {
			continue
		}
		grants := []policy.Grant{{Role: policy.Employee, AgencyID: e.AgencyID}}
		for _, g := range ds.Grants {
			if g.AccountID == id {
				grants = append(grants, policy.Grant{Role: policy.Role(g.Role), AgencyID: g.AgencyID, AppID: g.AppID})
			}
		}
		return &policy.Actor{AccountID: id, EmployeeID: id, AgencyID: e.AgencyID, Name: e.Name, Email: e.Email, Grants: grants}
	}
	return nil
}
