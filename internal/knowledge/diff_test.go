package knowledge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

func TestDiffShowsTheChangedWordsEscaped(t *testing.T) {
	for _, c := range []struct {
		name, from, to, want string
		added, removed       int
	}{
		{"same", "Buka SIMPEG.\n", "Buka SIMPEG.\n", "Buka SIMPEG.\n", 0, 0},
		{"one word", "Buka menu Profil lalu simpan.\n", "Buka menu Data lalu simpan.\n",
			"Buka menu <del>Profil</del><ins>Data</ins> lalu simpan.\n", 1, 1},
		{"a line added", "a\nb\n", "a\nx y\nb\n", "a\n<ins>x y\n</ins>b\n", 2, 0},
		{"a line removed", "a\nb\nc\n", "a\nc\n", "a\n<del>b\n</del>c\n", 0, 1},
		{"markup escaped", "<b>x</b>\n", "<script>alert(1)</script>\n",
			"&lt;<del>b&gt;x&lt;/b</del><ins>script&gt;alert(1)&lt;/script</ins>&gt;\n", 4, 3},
		{"a phrase replaced", "Berkas: SK pangkat terakhir.\n", "Unggah PAK bagi jabatan fungsional.\n",
			"<del>Berkas: SK pangkat terakhir</del><ins>Unggah PAK bagi jabatan fungsional</ins>.\n", 5, 4},
		{"from nothing", "", "Nur'aini\n", "<ins>Nur&#39;aini\n</ins>", 1, 0},
		{"to nothing", "Dottoro'ta", "", "<del>Dottoro&#39;ta</del>", 0, 1},
	} {
		got, added, removed := Diff(c.from, c.to)
		if string(got) != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if added != c.added || removed != c.removed {
			t.Errorf("%s: +%d -%d, want +%d -%d", c.name, added, removed, c.added, c.removed)
		}
	}
}

// TestDiffRebuildsBothTexts checks the diff on random edits: keeping the
// kept and removed steps gives the old text, kept and inserted the new.
func TestDiffRebuildsBothTexts(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := []string{"layanan", "SIMPEG", "\n", " ", "sandi", ".", "Nur'aini", "akun"}
	gen := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[rng.Intn(len(words))]
		}
		return out
	}
	for i := 0; i < 300; i++ {
		a, b := gen(rng.Intn(40)), gen(rng.Intn(40))
		var old, new strings.Builder
		for _, e := range diff(a, b) {
			if e.op != '+' {
				old.WriteString(e.text)
			}
			if e.op != '-' {
				new.WriteString(e.text)
			}
		}
		if old.String() != strings.Join(a, "") || new.String() != strings.Join(b, "") {
			t.Fatalf("diff of %q and %q rebuilds %q and %q", a, b, old.String(), new.String())
		}
	}
}

func TestDiffOfUnrelatedLongTextsStaysBounded(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 5000; i++ {
		a.WriteString("baris lama nomor " + strings.Repeat("x", i%7) + "\n")
		b.WriteString("baris baru " + strings.Repeat("y", i%5) + "\n")
	}
	got, added, removed := Diff(a.String(), b.String())
	if added == 0 || removed == 0 || !strings.Contains(string(got), "<ins>") {
		t.Fatalf("a total rewrite: +%d -%d", added, removed)
	}
}

// BenchmarkDiff10KB compares a 10 KB article with a version where a few
// words changed in several paragraphs: the usual edit.
func BenchmarkDiff10KB(b *testing.B) {
	var old, new strings.Builder
	for i := 0; old.Len() < 10<<10; i++ {
		line := fmt.Sprintf("Langkah %d: buka menu Profil di SIMPEG lalu periksa data riwayat hidup Anda.\n", i)
		old.WriteString(line)
		if i%15 == 7 {
			line = strings.Replace(line, "periksa", "perbarui", 1)
		}
		new.WriteString(line)
	}
	b.ReportAllocs()
	for b.Loop() {
		Diff(old.String(), new.String())
	}
}

// BenchmarkDiff100KBRewrite is the worst case the editor allows: a
// 100 KB article rewritten whole.
func BenchmarkDiff100KBRewrite(b *testing.B) {
	var old, new strings.Builder
	for i := 0; old.Len() < 100_000 || new.Len() < 100_000; i++ {
		fmt.Fprintf(&old, "baris lama %d tentang presensi dan tunjangan kinerja pegawai\n", i)
		fmt.Fprintf(&new, "baris baru %d tentang webmail dan kata sandi akun kota\n", i*7)
	}
	b.ReportAllocs()
	for b.Loop() {
		Diff(old.String()[:100_000], new.String()[:100_000])
	}
}
