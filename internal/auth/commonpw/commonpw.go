// Package commonpw knows the passwords too common to allow: 49,233 taken
// from leaked password sets, shipped in the binary (passwords.txt.gz, from
// the npm package @zxcvbn-ts/language-common, MIT: LICENSE.txt beside it;
// scripts/common-passwords.sh rebuilds it). ASVS 2.1.7 asks that a new
// password be checked against such a list.
package commonpw

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
)

//go:embed passwords.txt.gz
var packed []byte

// list is the passwords, lower-cased and sorted, unpacked on first use
// (about 1 MB in memory) so that start-up stays fast.
var list = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		panic("commonpw: the embedded list is broken: " + err.Error())
	}
	var out []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		panic("commonpw: the embedded list is broken: " + err.Error())
	}
	return out
})

// Contains reports whether password is on the list, ignoring case, or is a
// listed password followed only by digits and symbols ("Password2024!",
// "dragon12345678"): the usual way a common password is stretched to meet a
// length rule.
func Contains(password string) bool {
	p := strings.ToLower(password)
	if listed(p) {
		return true
	}
	base := strings.TrimRightFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	return base != p && base != "" && listed(base)
}

func listed(p string) bool {
	_, found := slices.BinarySearch(list(), p)
	return found
}
