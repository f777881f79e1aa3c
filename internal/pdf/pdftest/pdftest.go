// Package pdftest reads back what tests need of a PDF that internal/pdf
// wrote: the drawing operators of each page, text strings included, so a
// test can ask whether a name or a heading is on it.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"
)

var stream = regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`)

// Pages returns the decompressed content stream of each page, in order.
// Text shows in it as PDF strings: "(Dottoro'ta) Tj", with parentheses
// escaped and letters beyond ASCII as octal escapes.
func Pages(t testing.TB, b []byte) []string {
	t.Helper()
	var pages []string
	for _, m := range stream.FindAllSubmatch(b, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			t.Fatalf("pdftest: a content stream: %v", err)
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("pdftest: a content stream: %v", err)
		}
		pages = append(pages, string(content))
	}
	return pages
}

// Text is every page's content, one after another.
func Text(t testing.TB, b []byte) string {
	t.Helper()
	return strings.Join(Pages(t, b), "\n")
}
