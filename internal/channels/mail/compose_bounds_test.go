package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"mime"
	"net"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/outbox"
)

func TestComposeWritesTheBareAddressAndFoldsALongSubject(t *testing.T) {
	cfg := mail.Config{From: "Layanan Bantuan <bantuan@makassarkota.go.id>"}
	long := strings.Repeat("Permohonan perbaikan jalan rusak di Kelurahan Ujung Pandang Baru ", 30)
	for _, subject := range []string{long, strings.Repeat("Jalan berlubang — ", 120), strings.Repeat("x", 900)} {
		m := outbox.Message{ID: 1, Address: "Bu Ani <ani@warga.example>", Kind: "test", Lang: "id", Subject: subject, Body: "isi"}
		raw, err := mail.Compose(cfg, m, mail.MessageID(1, cfg.From))
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for _, line := range strings.Split(string(head), "\r\n") {
			if len(line) > 998 {
				t.Errorf("a header line of %d characters: %.60q", len(line), line)
			}
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if want := strings.Join(strings.Fields(subject), " "); got != want {
			t.Errorf("subject read back %q\nwant %q", got, want)
		}
		if to := msg.Header.Get("To"); to != "ani@warga.example" {
			t.Errorf("To %q", to)
		}
	}
	for _, bad := range []string{"ani@warga.example\r\nBcc: x@y", "Ani (x\r\nBcc: x@y) <ani@warga.example>", "bukan alamat"} {
		m := outbox.Message{ID: 1, Address: bad, Kind: "test", Lang: "id", Subject: "s", Body: "isi"}
		if raw, err := mail.Compose(cfg, m, "<x@y>"); err == nil && bytes.Contains(raw, []byte("Bcc")) {
			t.Errorf("%q reached the header", bad)
		}
		if strings.HasPrefix(bad, "Ani (") {
			continue // a valid address with a comment: its bare address is used
		}
		_, err := mail.NewSender(mail.Config{Relay: "127.0.0.1:1", From: cfg.From}).Send(context.Background(),
			outbox.Message{ID: 1, Channel: outbox.Email, Address: bad, Kind: "test", Lang: "id", Subject: "s", Body: "isi"})
		if err == nil || !outbox.IsPermanent(err) {
			t.Errorf("%q: %v, want a permanent error", bad, err)
		}
	}
}

// TestAMessageTheRelayTookIsSentEvenIfQuitFails: after 250 to DATA the
// relay holds the message; a connection dropped at QUIT is no failure.
func TestAMessageTheRelayTookIsSentEvenIfQuitFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		say := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
		say("220 relay")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
			case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
				say("250 relay")
			case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"):
				say("250 ok")
			case cmd == "DATA":
				say("354 go on")
				for {
					l, err := r.ReadString('\n')
					if err != nil || l == ".\r\n" {
						break
					}
				}
				say("250 queued")
			case cmd == "QUIT":
				return // dropped without an answer
			}
		}
	}()
	s := mail.NewSender(mail.Config{Relay: ln.Addr().String(), From: "bantuan@makassarkota.go.id"})
	id, err := s.Send(context.Background(), outbox.Message{ID: 7, Channel: outbox.Email, Address: "ani@warga.example",
		Kind: "test", Lang: "id", Subject: "s", Body: "isi"})
	if err != nil || id == "" {
		t.Errorf("Send: %q %v, want sent", id, err)
	}
}
