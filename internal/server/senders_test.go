package server_test

import (
	"testing"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/server"
)

func TestSendersRefuseHalfAChannel(t *testing.T) {
	for name, set := range map[string]func(c *config.Config){
		"kannel without its secret":  func(c *config.Config) { c.KannelSendSMSURL = "http://127.0.0.1:13013/cgi-bin/sendsms" },
		"a relay without mail-from":  func(c *config.Config) { c.SMTPRelay = "127.0.0.1:1025" },
		"whatsapp without its token": func(c *config.Config) { c.WhatsAppPhoneID, c.WhatsAppAppSecret = "1", "s" },
		"only whatsapp's app secret": func(c *config.Config) { c.WhatsAppAppSecret = "s" },
	} {
		c := config.Default()
		set(&c)
		if _, err := server.Senders(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c := config.Default()
	c.KannelSendSMSURL, c.SMSSecret = "http://127.0.0.1:13013/cgi-bin/sendsms", "x"
	c.WhatsAppPhoneID, c.WhatsAppToken, c.WhatsAppAppSecret, c.WhatsAppVerifyToken = "1", "t", "s", "v"
	senders, err := server.Senders(c)
	if err != nil || senders[outbox.SMS] == nil || senders[outbox.WhatsApp] == nil || senders[outbox.Email] != nil {
		t.Errorf("SMS and WhatsApp configured whole: %v, %v", senders, err)
	}
}
