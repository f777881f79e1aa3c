package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
)

// The demo city's discussions: a formal city forum and an informal room,
// rooms for three applications, two agencies and a help desk team, with
// questions answered and accepted, so the coaches page of Kominfo, BKPSDM
// and Dinas Kesehatan names someone. They are written through the
// discussion service, as people would write them: indexed for search,
// with their mentions and audit records.

// demoSpace is a space of the demo and the threads in it.
type demoSpace struct {
	in      discuss.SpaceInput
	agency  string // agency code of an agency space
	app     string // application slug of an application space
	team    int    // 1-based team of a team space
	threads []demoThread
}

// demoThread is a thread: who asks (a person key, see people), what, and
// the replies; accept is the 1-based reply accepted, helpful the people
// who mark the accepted reply helpful.
type demoThread struct {
	by, title, body string
	question, pin   bool
	replies         []demoReply
	accept          int
	helpful         []string
}

type demoReply struct{ by, body string }

// demoSpaces is the content. People are named by role keys resolved in
// loadDiscussion: "expert", "agent", "agent2", "lead" (the first team's
// lead), "simpeg" (an operator of SIMPEG in its owner agency), "dottorota",
// "sipd", and "<CODE>" / "<CODE>2" for staff of an agency.
var demoSpaces = []demoSpace{
	{in: discuss.SpaceInput{Name: "Forum e-Government Kota Makassar", Level: policy.SpaceCity, Formal: true,
		Description: "Arahan, pengumuman dan tanya jawab resmi seputar layanan e-government kota."},
		threads: []demoThread{
			{by: "expert", pin: true, title: "Panduan singkat memakai ruang diskusi",
				body: "Selamat datang! Beberapa hal yang perlu diketahui:\n\n" +
					"- **Forum resmi** untuk arahan dan keputusan; **ruang santai** untuk berbincang.\n" +
					"- Centang *Ini sebuah pertanyaan* bila Anda bertanya: penanya bisa menerima satu jawaban.\n" +
					"- Sebut rekan dengan `@` lalu bagian email sebelum `@`, misalnya `@superadmin`.\n" +
					"- Tandai balasan yang menolong dengan **Membantu**: dari situ pembimbing informal terlihat."},
			{by: "DISDIK", question: true, title: "Email dinas tidak bisa menerima lampiran besar",
				body: "Lampiran 30 MB dari sekolah selalu gagal masuk ke email dinas. Apakah ada batasnya?",
				replies: []demoReply{
					{by: "DINKES", body: "Saya juga pernah mengalaminya bulan lalu."},
					{by: "agent", body: "Batas lampiran webmail kota **25 MB**. Untuk berkas lebih besar:\n\n" +
						"1. Unggah ke penyimpanan bersama dinas.\n2. Bagikan tautannya lewat email.\n\n" +
						"Bila tetap gagal, buat tiket di menu *Minta bantuan* dengan kategori Jaringan."}},
				accept: 2, helpful: []string{"DINKES", "DISDIK2", "BKPSDM"}},
			{by: "DINKES2", question: true, title: "Bolehkah mengirim data pribadi warga lewat WhatsApp?",
				body: "Petugas lapangan sering meminta daftar penerima bantuan dikirim lewat grup WhatsApp. Apakah ini diperbolehkan?",
				replies: []demoReply{
					{by: "expert", body: "Sebaiknya **tidak**. Data pribadi warga (NIK, alamat, nomor telepon) dikirim lewat " +
						"email dinas atau aplikasi resmi yang tercatat. Bila terpaksa, kirim rekap tanpa NIK dan hapus dari " +
						"ponsel setelah dipakai."}},
				accept: 1, helpful: []string{"DINKES", "DINSOS"}},
		}},
	{in: discuss.SpaceInput{Name: "Warung Kopi Digital", Level: policy.SpaceCity,
		Description: "Ruang santai untuk berbagi tips, trik dan cerita sehari-hari memakai aplikasi."},
		threads: []demoThread{
			{by: "BKPSDM", question: true, title: "Printer tidak terdeteksi setelah pembaruan Windows",
				body: "Sejak pembaruan kemarin printer di ruang kepegawaian hilang dari daftar. Ada yang pernah?",
				replies: []demoReply{
					{by: "agent", body: "Pernah. Buka *Settings → Bluetooth & devices → Printers*, hapus printernya, lalu " +
						"tambahkan lagi. Bila belum muncul, pasang ulang driver dari situs pembuatnya."},
					{by: "BKPSDM", body: "Berhasil, terima kasih!"}},
				accept: 1, helpful: []string{"BKPSDM", "DISDIK"}},
			{by: "agent2", title: "Tips: tekan ? di Lontara untuk melihat pintasan keyboard",
				body:    "Di halaman mana saja, tekan `?` untuk melihat pintasan. Sangat menghemat waktu saat antrean tiket ramai.",
				replies: []demoReply{{by: "DINKES", body: "Baru tahu, mantap 👍"}}},
		}},
	{app: "simpeg", in: discuss.SpaceInput{Name: "Tanya SIMPEG", Level: policy.SpaceApp,
		Description: "Tanya jawab pemakaian SIMPEG antaroperator kepegawaian."},
		threads: []demoThread{
			{by: "DISDIK", question: true, title: "Cara memperbarui riwayat pendidikan di SIMPEG?",
				body: "Ijazah S2 saya sudah keluar, tetapi menu riwayat pendidikan tidak bisa diubah.",
				replies: []demoReply{
					{by: "DISDIK2", body: "Saya juga belum tahu, menunggu jawaban juga."},
					{by: "simpeg", body: "Riwayat pendidikan diubah lewat usulan:\n\n1. Menu **Usulan → Riwayat Pendidikan**.\n" +
						"2. Unggah ijazah dan transkrip (PDF).\n3. Operator BKPSDM memverifikasi paling lama 3 hari kerja."}},
				accept: 2, helpful: []string{"DISDIK", "DISDIK2", "DINKES"}},
			{by: "DINKES", question: true, title: "SK kenaikan pangkat belum muncul di SIMPEG",
				body: "SK kenaikan pangkat April sudah terbit, tetapi di SIMPEG pangkat saya masih yang lama.",
				replies: []demoReply{{by: "simpeg", body: "Data pangkat ditarik dari BKN setiap akhir bulan. Bila bulan depan " +
					"belum berubah, kirim salinan SK lewat menu **Usulan → Pangkat**."}},
				accept: 1, helpful: []string{"DINKES"}},
		}},
	{app: "dottorota", in: discuss.SpaceInput{Name: "Dottoro'ta untuk puskesmas", Level: policy.SpaceApp,
		Description: "Ruang para operator Dottoro'ta di puskesmas dan rumah sakit."},
		threads: []demoThread{
			{by: "DINKES2", question: true, title: "Antrean Dottoro'ta tidak tersinkron ke aplikasi pasien",
				body: "Pasien sudah mendaftar lewat aplikasi, tetapi nomornya tidak muncul di layar antrean puskesmas.",
				replies: []demoReply{{by: "dottorota", body: "Periksa jam komputer loket: bila selisihnya lebih dari 5 menit, " +
					"sinkronisasi ditolak. Samakan jamnya lalu muat ulang layar antrean."}},
				accept: 1, helpful: []string{"DINKES2", "DINKES"}},
			{by: "DINKES", question: true, title: "Bisakah Dottoro'ta mencetak rujukan dalam format PDF?",
				body: "Puskesmas kami ingin menyimpan rujukan sebagai PDF, bukan hanya mencetaknya."},
		}},
	{app: "sipd", in: discuss.SpaceInput{Name: "Forum SIPD", Level: policy.SpaceApp, Formal: true,
		Description: "Jadwal, arahan dan tanya jawab Sistem Informasi Pemerintahan Daerah."},
		threads: []demoThread{
			{by: "DISDIK2", question: true, title: "Kapan batas input RKPD tahun depan di SIPD?",
				body: "Kami perlu menyesuaikan jadwal rapat internal.",
				replies: []demoReply{{by: "sipd", body: "Input RKPD dibuka sampai **akhir Mei**. Verifikasi Bappeda berjalan dua " +
					"minggu setelahnya."}},
				accept: 1},
		}},
	{agency: "DINKES", in: discuss.SpaceInput{Name: "Ruang Dinas Kesehatan", Level: policy.SpaceAgency,
		Description: "Obrolan sehari-hari pegawai Dinas Kesehatan."},
		threads: []demoThread{
			{by: "DINKES", title: "Jadwal piket pelayanan hari libur",
				body:    "Teman-teman, jadwal piket libur panjang sudah ditempel di papan pengumuman. Silakan tukar lewat utas ini.",
				replies: []demoReply{{by: "DINKES2", body: "Saya bisa tukar dengan yang bertugas hari Sabtu."}}},
		}},
	{agency: "DISDIK", in: discuss.SpaceInput{Name: "Ruang Dinas Pendidikan", Level: policy.SpaceAgency, Formal: true,
		Description: "Forum resmi pegawai Dinas Pendidikan."}},
	{team: 1, in: discuss.SpaceInput{Name: "Dapur Tim Jaringan", Level: policy.SpaceTeam, MembersOnly: true,
		Description: "Catatan internal tim jaringan: serah terima shift dan gangguan berulang."},
		threads: []demoThread{
			{by: "lead", title: "Serah terima shift malam",
				body: "Switch lantai 3 Balai Kota sempat mati pukul 02.00; sudah dinyalakan ulang. Pantau pagi ini."},
		}},
}

// loadDiscussion writes the demo's discussions into the loaded city.
// People or places the world lacks (a smaller world) are skipped.
func loadDiscussion(ctx context.Context, d *db.DB, ds *dataset) error {
	svc := discuss.NewService(d, auth.ActorsIn)
	people := demoPeople(ds)
	if people["expert"] == nil {
		return nil
	}
	for _, sp := range demoSpaces {
		in, creator, ok := placeSpace(sp, ds, people)
		if !ok {
			continue
		}
		space, err := svc.CreateSpace(ctx, creator, in)
		if err != nil {
			return fmt.Errorf("demo: space %s: %w", in.Name, err)
		}
		if err := writeThreads(ctx, svc, space, sp.threads, people); err != nil {
			return err
		}
	}
	return nil
}

// placeSpace fills in the agency, application or team of a space and who
// creates it; ok is false when the world lacks them.
func placeSpace(sp demoSpace, ds *dataset, people map[string]*policy.Actor) (discuss.SpaceInput, *policy.Actor, bool) {
	in, creator := sp.in, people["expert"]
	switch {
	case sp.agency != "":
		for _, a := range ds.Agencies {
			if a.Code == sp.agency {
				in.AgencyID = a.ID
			}
		}
		return in, creator, in.AgencyID != 0
	case sp.app != "":
		for _, a := range ds.Apps {
			if a.Slug == sp.app {
				in.AppID = a.ID
			}
		}
		return in, creator, in.AppID != 0
	case sp.team != 0:
		in.TeamID = int64(sp.team)
		creator = people["lead"]
		return in, creator, creator != nil && sp.team <= len(deskTeams)
	}
	return in, creator, true
}

func writeThreads(ctx context.Context, svc *discuss.Service, space discuss.Space, threads []demoThread, people map[string]*policy.Actor) error {
	for _, th := range threads {
		by := people[th.by]
		if by == nil {
			continue
		}
		t, _, err := svc.CreateThread(ctx, by, space.ID, discuss.ThreadInput{Title: th.title, Body: th.body, Question: th.question})
		if err != nil {
			return fmt.Errorf("demo: thread %q: %w", th.title, err)
		}
		var posts []int64
		for _, r := range th.replies {
			if people[r.by] == nil {
				continue
			}
			p, err := svc.Reply(ctx, people[r.by], t.ID, discuss.PostInput{Body: r.body})
			if err != nil {
				return fmt.Errorf("demo: reply in %q: %w", th.title, err)
			}
			posts = append(posts, p.ID)
		}
		if th.accept > 0 && th.accept <= len(posts) {
			answer := posts[th.accept-1]
			if err := svc.Accept(ctx, by, t.ID, answer, true); err != nil {
				return fmt.Errorf("demo: accept in %q: %w", th.title, err)
			}
			for _, key := range th.helpful {
				if a := people[key]; a != nil && a != by && a.AccountID != authorOf(th, th.accept, people) {
					if _, err := svc.React(ctx, a, answer, discuss.ReactionHelpful); err != nil {
						return fmt.Errorf("demo: reaction in %q: %w", th.title, err)
					}
				}
			}
		}
		if th.pin {
			if err := svc.SetFlag(ctx, people["expert"], t.ID, "pinned", true); err != nil {
				return err
			}
		}
	}
	return nil
}

// authorOf is the account of the n-th reply of th.
func authorOf(th demoThread, n int, people map[string]*policy.Actor) int64 {
	if a := people[th.replies[n-1].by]; a != nil {
		return a.AccountID
	}
	return 0
}

// demoPeople resolves the role keys of demoSpaces to actors of the
// dataset (an account's id is its employee's in the demo).
func demoPeople(ds *dataset) map[string]*policy.Actor {
	byID := map[int64]*employeeRow{}
	for i := range ds.Employees {
		byID[ds.Employees[i].ID] = &ds.Employees[i]
	}
	grants := map[int64][]policy.Grant{}
	for _, e := range ds.Employees {
		grants[e.ID] = []policy.Grant{{Role: policy.Employee, AgencyID: e.AgencyID}}
	}
	for _, g := range ds.Grants {
		grants[g.AccountID] = append(grants[g.AccountID], policy.Grant{Role: policy.Role(g.Role), AgencyID: g.AgencyID, AppID: g.AppID})
	}
	actor := func(id int64) *policy.Actor {
		e := byID[id]
		if e == nil {
			return nil
		}
		return &policy.Actor{AccountID: id, EmployeeID: id, AgencyID: e.AgencyID, Name: e.Name, Email: e.Email, Grants: grants[id]}
	}
	people := map[string]*policy.Actor{}
	agencyCode := map[int64]string{}
	for _, a := range ds.Agencies {
		agencyCode[a.ID] = a.Code
	}
	roleHolders := map[string][]int64{}
	taken := map[int64]bool{}
	for _, g := range ds.Grants {
		roleHolders[g.Role] = append(roleHolders[g.Role], g.AccountID)
		taken[g.AccountID] = true
	}
	if ids := roleHolders["expert"]; len(ids) > 0 {
		people["expert"] = actor(ids[0])
	} else if ids := roleHolders["superadmin"]; len(ids) > 0 {
		people["expert"] = actor(ids[0]) // a small world without experts: the superadmin speaks for them
	}
	if ids := roleHolders["agent"]; len(ids) > 1 {
		people["lead"], people["agent"], people["agent2"] = actor(ids[0]), actor(ids[3%len(ids)]), actor(ids[1])
	}
	for _, a := range ds.Apps {
		for _, g := range ds.Grants {
			if g.Role == "operator" && g.AppID == a.ID && g.AgencyID == a.Owner && people[a.Slug] == nil {
				people[a.Slug] = actor(g.AccountID)
			}
		}
	}
	// Two ordinary people (no other role) of each agency.
	for _, e := range ds.Employees {
		code := agencyCode[e.AgencyID]
		if taken[e.ID] || code == "" || strings.HasPrefix(e.Email, "superadmin@") {
			continue
		}
		switch {
		case people[code] == nil:
			people[code] = actor(e.ID)
		case people[code+"2"] == nil:
			people[code+"2"] = actor(e.ID)
		}
	}
	return people
}
