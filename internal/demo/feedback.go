package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/lessons"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/thanks"
)

// demoIdeas are the demo city's ideas: the application (by slug) they are
// about, and the answer of its owner's head (no status: still waiting),
// with how many days after the idea it came: fewer than the idea's age, so
// that every answer is in the past (the README says 6 to 35 days).
var demoIdeas = []struct {
	App, Title, Body   string
	Status, Answer     string
	Age, AnswerAfter   int // days
	Votes, CommentFrom int // how many people vote; a comment from the nth ordinary person (0: none)
}{
	{"sipd", "Ekspor laporan realisasi per sub kegiatan ke Excel",
		"Setiap akhir bulan kami menyalin angka realisasi dari layar SIPD satu per satu. Mohon ada tombol ekspor ke Excel.",
		ideas.StatusPlanned, "Usulan ini kami teruskan ke Kemendagri dan masuk rencana pembaruan triwulan depan.", 75, 6, 9, 1},
	{"simpeg", "Pengingat kenaikan pangkat tiga bulan sebelumnya",
		"Banyak pegawai baru sadar berkas kenaikan pangkat kurang saat tenggat sudah dekat.",
		ideas.StatusDone, "Sudah berjalan: SIMPEG kini mengirim notifikasi 90 hari sebelum TMT kenaikan pangkat.", 70, 12, 7, 2},
	{"e-attendance", "Absen dari lokasi kegiatan lapangan",
		"Pegawai yang bertugas di lapangan tidak bisa absen karena di luar radius kantor.",
		ideas.StatusReview, "Kami kaji bersama BKPSDM: perlu surat tugas digital sebagai dasar lokasi.", 40, 35, 6, 0},
	{"webmail", "Kuota kotak surat dinaikkan menjadi 5 GB",
		"Lampiran dokumen anggaran sering membuat kotak surat penuh.",
		ideas.StatusDeclined, "Belum memungkinkan tahun ini karena kapasitas server; gunakan tautan berbagi berkas untuk lampiran besar.",
		55, 20, 3, 0},
	{"website-opd", "Templat berita yang ramah ponsel", "Foto berita terpotong di layar ponsel.",
		"", "", 18, 0, 4, 3},
	{"dottorota", "Antrean Dottoro'ta menampilkan perkiraan waktu tunggu",
		"Warga sering bertanya berapa lama lagi giliran mereka; tampilkan perkiraan di aplikasi.", "", "", 9, 0, 5, 0},
	{"e-budgeting", "Salin usulan anggaran tahun lalu sebagai draf awal",
		"Sebagian besar kegiatan rutin sama dari tahun ke tahun.", ideas.StatusReview,
		"Terima kasih, kami pelajari dampaknya pada validasi pagu.", 30, 25, 2, 0},
	{"simpeg", "Unggah SKP langsung dari e-Kinerja", "Supaya tidak mengunggah dokumen yang sama dua kali.",
		"", "", 44, 0, 8, 0},
}

// demoThanks are reasons people thank each other for.
var demoThanks = []string{
	"Membantu memulihkan akun SIMPEG saya sebelum tenggat pengisian SKP.",
	"Mengajari cara membuat tabel pivot untuk laporan bulanan. Sangat berguna!",
	"Cepat menanggapi tiket jaringan lantai 3 sampai tuntas malam itu.",
	"Berbagi templat surat dinas yang rapi dan sesuai tata naskah.",
	"Sabar mendampingi saya memakai SIPD pertama kali.",
	"Menulis artikel cara reset kata sandi webmail; tim kami jadi tidak perlu bertanya lagi.",
	"Menggantikan piket help desk saat saya sakit.",
	"Memberi masukan yang jelas untuk draf SOP layanan kami.",
}

// loadFeedback gives the demo city ideas with votes, comments and answers
// (some still waiting, so the wait shows), thanks between colleagues and
// two lessons learned, one published as a draft article. It goes through
// the services as people would, then moves the dates back into the past.
// Missing applications, heads or tickets are skipped.
func loadFeedback(ctx context.Context, d *db.DB, ds *dataset) error {
	people := demoPeople(ds)
	heads, ordinary := map[int64]*policy.Actor{}, []*policy.Actor{}
	for _, g := range ds.Grants {
		if g.Role == "agency_head" && heads[g.AgencyID] == nil {
			heads[g.AgencyID] = demoActor(ds, g.AccountID)
		}
	}
	for _, a := range ds.Agencies {
		for _, key := range []string{a.Code, a.Code + "2"} {
			if p := people[key]; p != nil {
				ordinary = append(ordinary, p)
			}
		}
	}
	if len(ordinary) < 4 {
		return nil
	}
	apps := map[string]appRow{}
	for _, a := range ds.Apps {
		apps[a.Slug] = a
	}
	r := rand.New(rand.NewPCG(27, 6))
	zone := cityZone()
	now := time.Now().UTC()
	day := 24 * time.Hour
	svc := ideas.NewService(d, zone)
	for i, di := range demoIdeas {
		app, ok := apps[di.App]
		if !ok {
			continue
		}
		author := ordinary[(i*3)%len(ordinary)]
		idea, err := svc.Create(ctx, author, ideas.Input{AppID: &app.ID, Title: di.Title, Body: di.Body})
		if err != nil {
			return fmt.Errorf("demo: idea: %w", err)
		}
		for v := range di.Votes {
			if _, err := svc.Vote(ctx, ordinary[(i*3+1+v)%len(ordinary)], idea.ID, true); err != nil {
				return fmt.Errorf("demo: vote: %w", err)
			}
		}
		if di.CommentFrom > 0 {
			if _, err := svc.Comment(ctx, ordinary[(i+di.CommentFrom*5)%len(ordinary)], idea.ID,
				ideas.CommentInput{Body: "Setuju, di bidang kami juga sering terjadi."}); err != nil {
				return fmt.Errorf("demo: comment: %w", err)
			}
		}
		created := now.Add(-time.Duration(di.Age)*day - time.Duration(r.IntN(8))*time.Hour)
		if _, err := d.W.ExecContext(ctx, `UPDATE ideas SET created_at = $1, updated_at = $1 WHERE id = $2`, created, idea.ID); err != nil {
			return fmt.Errorf("demo: idea date: %w", err)
		}
		head := heads[app.Owner]
		if di.Status == "" || head == nil {
			continue
		}
		if _, err := svc.Answer(ctx, head, idea.ID, ideas.AnswerInput{Status: di.Status, Answer: di.Answer}); err != nil {
			return fmt.Errorf("demo: answer: %w", err)
		}
		answered := created.Add(time.Duration(di.AnswerAfter) * day)
		for _, q := range []string{`UPDATE ideas SET answered_at = $1, updated_at = $1 WHERE id = $2`,
			`UPDATE idea_answers SET created_at = $1 WHERE idea_id = $2`} {
			if _, err := d.W.ExecContext(ctx, q, answered, idea.ID); err != nil {
				return fmt.Errorf("demo: answer date: %w", err)
			}
		}
	}
	if err := demoGiveThanks(ctx, d, ordinary, people, r, zone, now); err != nil {
		return err
	}
	return demoLessons(ctx, d, people, now)
}

// demoActor is the actor of an account of the dataset (account id =
// employee id in the demo).
func demoActor(ds *dataset, id int64) *policy.Actor {
	for _, e := range ds.Employees {
		if e.ID == id {
			a := &policy.Actor{AccountID: id, EmployeeID: id, AgencyID: e.AgencyID, Name: e.Name, Email: e.Email}
			for _, g := range ds.Grants {
				if g.AccountID == id {
					a.Grants = append(a.Grants, policy.Grant{Role: policy.Role(g.Role), AgencyID: g.AgencyID, AppID: g.AppID})
				}
			}
			return a
		}
	}
	return nil
}

func demoGiveThanks(ctx context.Context, d *db.DB, ordinary []*policy.Actor, people map[string]*policy.Actor,
	r *rand.Rand, zone *time.Location, now time.Time) error {
	svc := thanks.NewService(d, zone)
	givers := append([]*policy.Actor{}, ordinary...)
	for _, key := range []string{"agent", "lead", "expert", "sipd", "simpeg"} {
		if p := people[key]; p != nil {
			givers = append(givers, p)
		}
	}
	for i := range 24 {
		from, to := givers[r.IntN(len(givers))], givers[r.IntN(len(givers))]
		if from.EmployeeID == to.EmployeeID {
			continue
		}
		t, err := svc.Give(ctx, from, thanks.Input{EmployeeID: to.EmployeeID, Reason: demoThanks[i%len(demoThanks)]})
		if err != nil {
			return fmt.Errorf("demo: thanks: %w", err)
		}
		at := now.Add(-time.Duration(r.IntN(60*24)) * time.Hour)
		if _, err := d.W.ExecContext(ctx, `UPDATE thanks SET created_at = $1 WHERE id = $2`, at, t.ID); err != nil {
			return fmt.Errorf("demo: thanks date: %w", err)
		}
	}
	return nil
}

func demoLessons(ctx context.Context, d *db.DB, people map[string]*policy.Actor, now time.Time) error {
	writer := people["lead"]
	if writer == nil {
		writer = people["expert"]
	}
	if writer == nil {
		return nil
	}
	var tickets []int64
	rows, err := d.R.QueryContext(ctx, `SELECT id FROM tickets WHERE category = 'network' ORDER BY id LIMIT 3`)
	if err != nil {
		return fmt.Errorf("demo: lesson tickets: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("demo: lesson tickets: %w", err)
		}
		tickets = append(tickets, id)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("demo: lesson tickets: %w", err)
	}
	svc := lessons.NewService(d)
	outage, err := svc.Create(ctx, writer, lessons.Input{Kind: lessons.KindIncident,
		Title: "Jaringan Balai Kota terputus setengah hari",
		Happened: "Pukul 08.10 sakelar inti di ruang server Balai Kota mati karena UPS tidak menyala saat listrik padam. " +
			"Tiga OPD di gedung itu tidak bisa membuka aplikasi apa pun sampai pukul 12.30.",
		Expected: "UPS menahan beban 30 menit dan genset menyala otomatis dalam 2 menit.",
		Learned: "Baterai UPS sudah melewati umur pakai dan tidak ada yang memantaunya. " +
			"Genset menyala, tetapi sakelar inti tidak terhubung ke jalur genset.",
		Changes: "- Baterai UPS diganti dan diuji tiap bulan (tim jaringan Kominfo)\n" +
			"- Sakelar inti dipindah ke jalur genset\n- Uji padam listrik terjadwal tiap triwulan",
		TicketIDs: tickets})
	if err != nil {
		return fmt.Errorf("demo: lesson: %w", err)
	}
	if _, err := svc.Publish(ctx, writer, outage.ID, "id"); err != nil {
		return fmt.Errorf("demo: lesson article: %w", err)
	}
	if _, err := svc.Create(ctx, writer, lessons.Input{Kind: lessons.KindProject,
		Title:    "Peluncuran help desk kota: tiga bulan pertama",
		Happened: "Help desk dibuka untuk semua OPD sekaligus. Minggu pertama masuk 400 tiket, separuhnya tentang kata sandi.",
		Expected: "Sekitar 100 tiket per minggu, tersebar di berbagai aplikasi.",
		Learned:  "Pertanyaan kata sandi bisa diselesaikan sendiri oleh pegawai bila panduannya mudah ditemukan.",
		Changes:  "Artikel swalayan tentang kata sandi dipasang di halaman Bantuan; peluncuran berikutnya bertahap per OPD."}); err != nil {
		return fmt.Errorf("demo: lesson: %w", err)
	}
	back := now.Add(-21 * 24 * time.Hour)
	if _, err := d.W.ExecContext(ctx, `UPDATE lessons SET created_at = $1, updated_at = $1 WHERE id = $2`, back, outage.ID); err != nil {
		return fmt.Errorf("demo: lesson date: %w", err)
	}
	return nil
}
