package pdf

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Encode turns s into WinAnsiEncoding bytes: a letter outside it loses its
// accents if that brings it in (Ő → O, ş → s), else becomes "?"; control
// characters become spaces.
func Encode(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if unicode.IsControl(r) {
			out = append(out, ' ')
			continue
		}
		if b, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, b)
			continue
		}
		n := 0
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			if b, ok := charmap.Windows1252.EncodeRune(d); ok {
				out = append(out, b)
				n++
			}
		}
		if n == 0 {
			out = append(out, '?')
		}
	}
	return out
}

// Width returns how wide s is set in font f at size points.
func Width(f Font, size float64, s string) float64 {
	w := 0
	for _, b := range Encode(s) {
		w += int(widths[f][b])
	}
	return float64(w) * size / 1000
}

// Lines breaks s into lines no wider than w, between words; a word wider
// than w on its own is broken where it must be. Line breaks in s are kept.
func Lines(f Font, size, w float64, s string) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if Width(f, size, try) <= w {
				line = try
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			for Width(f, size, word) > w && len([]rune(word)) > 1 {
				cut := fit(f, size, w, word)
				lines = append(lines, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		lines = append(lines, line)
	}
	return lines
}

// fit returns the byte length of the longest prefix of word (at least one
// letter) no wider than w.
func fit(f Font, size, w float64, word string) int {
	cut := 0
	for i, r := range word {
		end := i + len(string(r))
		if cut > 0 && Width(f, size, word[:end]) > w {
			break
		}
		cut = end
	}
	return cut
}
