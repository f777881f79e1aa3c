package upload

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

// zipOf builds a zip of the named entries in order; "mimetype" is stored
// uncompressed, as ODF wants it first and plain.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		method := zip.Deflate
		if entries[i] == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Sample files of each kind the tests send, built rather than stored.
func samplePNG(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleJPEG(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleGIF(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const contentTypes = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`

func TestSniffNamesTypesFromTheBytesNotTheName(t *testing.T) {
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...)
	for _, c := range []struct {
		what, name string
		data       []byte
		ctype      string
		ok, macros bool
	}{
		{"png", "layar.png", samplePNG(t), "image/png", true, false},
		{"jpeg named .txt", "foto.txt", sampleJPEG(t), "image/jpeg", true, false},
		{"gif", "a.gif", sampleGIF(t), "image/gif", true, false},
		{"webp", "a.webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), "image/webp", true, false},
		{"pdf", "surat.pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), "application/pdf", true, false},
		{"text", "catatan.txt", []byte("Printer di lantai 2 mati.\nSudah dicoba ulang."), TypeText, true, false},
		{"csv by its name", "pegawai.csv", []byte("nip,nama\n198701012010011001,Nur'aini Dottoro'ta\n"), TypeCSV, true, false},
		{"docx", "surat.docx", zipOf(t, "[Content_Types].xml", contentTypes, "word/document.xml", "<w/>"), typeDocx, true, false},
		{"xlsx", "data.xlsx", zipOf(t, "[Content_Types].xml", contentTypes, "xl/workbook.xml", "<x/>"), typeXlsx, true, false},
		{"pptx", "slide.pptx", zipOf(t, "[Content_Types].xml", contentTypes, "ppt/presentation.xml", "<p/>"), typePptx, true, false},
		{"odt", "surat.odt", zipOf(t, "mimetype", typeODT, "content.xml", "<o/>"), typeODT, true, false},
		{"docm: macros", "surat.docx", zipOf(t, "[Content_Types].xml",
			`<Types><Default ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>`,
			"word/document.xml", "<w/>", "word/vbaProject.bin", "x"), typeDocx, false, true},
		{"ods with Basic macros", "data.ods", zipOf(t, "mimetype", typeODS, "Basic/Standard/Module1.xml", "x"), typeODS, false, true},
		{"a plain zip named .docx", "surat.docx", zipOf(t, "a.txt", "hai"), typeZip, false, false},
		{"a jar", "app.jar", zipOf(t, "META-INF/MANIFEST.MF", "Main-Class: X"), typeZip, false, false},
		{"epub", "buku.odt", zipOf(t, "mimetype", "application/epub+zip"), "application/epub+zip", false, false},
		{"exe named .pdf", "laporan.pdf", exe, "application/x-msdownload", false, false},
		{"elf named .png", "a.png", []byte("\x7fELF\x02\x01\x01"), "application/x-executable", false, false},
		{"legacy .doc", "surat.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "application/x-ole-storage", false, false},
		{"html named .png", "layar.png", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), "text/html", false, false},
		{"svg named .png", "layar.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "image/svg+xml", false, false},
		{"svg with a prolog", "logo.png", []byte(`<?xml version="1.0"?>` + "\n" + `<svg onload="alert(1)"></svg>`), "image/svg+xml", false, false},
		{"markup the standard sniffer misses", "a.txt", []byte("  <img src=x onerror=alert(1)>"), "text/html", false, false},
		{"xml", "a.txt", []byte(`<?xml version="1.0"?><a/>`), "text/xml", false, false},
		{"a shell script", "jalankan.txt", []byte("#!/bin/sh\nrm -rf /\n"), "text/x-shellscript", false, false},
		{"text with NUL", "a.txt", []byte("abc\x00def"), "application/octet-stream", false, false},
		{"latin-1 text", "a.txt", []byte("caf\xe9 au lait, na\xefve"), "application/octet-stream", false, false},
		{"gzip", "a.pdf", []byte("\x1f\x8b\x08\x00\x00\x00"), "application/x-gzip", false, false},
	} {
		ctype, ok, macros := Sniff(c.name, c.data)
		if ctype != c.ctype || ok != c.ok || macros != c.macros {
			t.Errorf("%s: sniffed %q ok=%v macros=%v, want %q ok=%v macros=%v", c.what, ctype, ok, macros, c.ctype, c.ok, c.macros)
		}
	}
}

func TestCleanNameKeepsLettersAndEndsInItsType(t *testing.T) {
	for _, c := range []struct{ in, ctype, want string }{
		{"laporan.pdf", "application/pdf", "laporan.pdf"},
		{`C:\Users\Nur'aini\Desktop\Surat Dottoro'ta.PDF`, "application/pdf", "Surat Dottoro'ta.pdf"},
		{"../../etc/passwd", TypeText, "passwd.txt"},
		{"Ärger — ñandú 日本.png", "image/png", "Ärger — ñandú 日本.png"},
		{"halaman.html", "image/png", "halaman.html.png"},
		{"laporan.exe", "application/pdf", "laporan.exe.pdf"},
		{"gambar\u202egpj.exe", "image/jpeg", "gambargpj.exe.jpg"},
		{"a\r\nContent-Type: x\t.txt", TypeText, "aContent-Type: x.txt"},
		{"  ...  ", "image/gif", "lampiran.gif"},
		{"", TypeCSV, "lampiran.csv"},
		{"data.CSV", TypeCSV, "data.csv"},
		{"foto.jpeg", "image/jpeg", "foto.jpeg"},
	} {
		if got := CleanName(c.in, c.ctype); got != c.want {
			t.Errorf("CleanName(%q, %s) = %q, want %q", c.in, c.ctype, got, c.want)
		}
	}
	long := CleanName(string(bytes.Repeat([]byte("é"), 400))+".pdf", "application/pdf")
	if n := len([]rune(long)); n != MaxName+len(".pdf") {
		t.Errorf("a long name keeps %d characters, want %d", n, MaxName+4)
	}
}
