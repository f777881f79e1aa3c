package survey

// loItems is the built-in LO instrument: three statements for each of the
// seven dimensions, in our own words (not the DLOQ's), about the daily work
// of a city government office. Respondents say how true each is of their
// organization on the six-point scale (1 almost never true … 6 almost
// always true).
var loItems = []struct{ dim, id, en string }{
	{ContinuousLearning, "Di tempat kerja saya, orang membicarakan kesalahan secara terbuka supaya semua bisa belajar darinya.",
		"Where I work, people talk openly about mistakes so that everyone can learn from them."},
	{ContinuousLearning, "Pegawai diberi waktu dan kesempatan untuk mempelajari hal yang dibutuhkan pekerjaannya.",
		"Staff are given time and opportunity to learn what their work needs."},
	{ContinuousLearning, "Rekan kerja saling membantu mempelajari aplikasi dan cara kerja yang baru.",
		"Colleagues help one another learn new applications and ways of working."},
	{InquiryDialogue, "Orang di sini menyampaikan pendapatnya dengan jujur sambil menghargai pendapat orang lain.",
		"People here say what they think honestly while respecting what others think."},
	{InquiryDialogue, "Sebelum memutuskan, kami mendengarkan dulu pandangan rekan, termasuk yang berbeda dengan kami.",
		"Before deciding, we first listen to colleagues' views, including those that differ from ours."},
	{InquiryDialogue, "Pegawai merasa aman untuk bertanya atau mempersoalkan cara kerja yang sudah lama berjalan.",
		"Staff feel safe to ask questions or challenge long-standing ways of working."},
	{TeamLearning, "Tim kerja bebas menyesuaikan cara kerjanya bila diperlukan.",
		"Work teams are free to adjust how they work when needed."},
	{TeamLearning, "Dalam tim, semua anggota diperlakukan setara, apa pun jabatan atau golongannya.",
		"In teams, every member is treated as an equal, whatever their position or rank."},
	{TeamLearning, "Tim memakai apa yang dipelajari bersama untuk memperbaiki pekerjaannya.",
		"Teams use what they learn together to improve their work."},
	{EmbeddedSystems, "Ada cara yang mudah untuk menyampaikan masukan dan usulan perbaikan kepada pimpinan.",
		"There are easy ways to give feedback and suggest improvements to leaders."},
	{EmbeddedSystems, "Pengetahuan dan pengalaman kerja dicatat sehingga mudah ditemukan kembali oleh siapa saja.",
		"Work knowledge and experience are written down so that anyone can find them again."},
	{EmbeddedSystems, "Kantor kami mengukur hasil pelatihan dan pembelajaran terhadap kinerja.",
		"Our office measures how training and learning show in performance."},
	{Empowerment, "Pegawai diajak ikut menetapkan arah dan sasaran unit kerjanya.",
		"Staff take part in setting the direction and goals of their unit."},
	{Empowerment, "Pegawai diberi kewenangan untuk mengambil keputusan dalam pekerjaannya sendiri.",
		"Staff are trusted to make decisions in their own work."},
	{Empowerment, "Pimpinan mendukung pegawai yang berani mencoba cara baru, walaupun hasilnya belum pasti.",
		"Leaders back staff who try new ways, even when the outcome is uncertain."},
	{SystemConnection, "Kami memikirkan dampak pekerjaan kami terhadap OPD lain dan terhadap warga.",
		"We think about how our work affects other agencies and the citizens."},
	{SystemConnection, "Kantor kami bekerja sama dengan pihak luar untuk memecahkan masalah bersama.",
		"Our office works with outside parties to solve shared problems."},
	{SystemConnection, "Masukan dan keluhan warga dipakai untuk memperbaiki layanan.",
		"Citizens' feedback and complaints are used to improve services."},
	{StrategicLeadership, "Pimpinan memberi contoh dengan terus belajar sendiri.",
		"Leaders set an example by learning continuously themselves."},
	{StrategicLeadership, "Pimpinan membimbing dan melatih bawahannya secara langsung.",
		"Leaders mentor and coach their staff directly."},
	{StrategicLeadership, "Pimpinan memastikan apa yang dilakukan unit kerja sejalan dengan visi dan misi kota.",
		"Leaders make sure what their unit does is in line with the city's vision and mission."},
}

// ScaleLabels are the i18n keys of the built-in scale's six points,
// "survey.scale.1" (almost never true) to "survey.scale.6" (almost always
// true).
var ScaleLabels = []string{"survey.scale.1", "survey.scale.2", "survey.scale.3",
	"survey.scale.4", "survey.scale.5", "survey.scale.6"}
