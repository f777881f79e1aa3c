package whatsapptest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/whatsapp/whatsapptest"
)

func TestTheFakeRefusesWhatMetaWouldRefuseInMetasShape(t *testing.T) {
	f := whatsapptest.New(t)
	good := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567890","type":"text",` +
		`"text":{"preview_url":false,"body":"halo"}}`
	cases := []struct {
		name, path, token, body string
		status, code            int
	}{
		{"a good message", "/" + f.PhoneID + "/messages", f.Token, good, 200, 0},
		{"a wrong token", "/" + f.PhoneID + "/messages", "nope", good, 401, 190},
		{"another phone id", "/999/messages", f.Token, good, 400, 100},
		{"a + in the number", "/" + f.PhoneID + "/messages", f.Token, strings.Replace(good, `"62`, `"+62`, 1), 400, 100},
		{"no preview_url", "/" + f.PhoneID + "/messages", f.Token, strings.Replace(good, `"preview_url":false,`, "", 1), 400, 100},
		{"an unknown member", "/" + f.PhoneID + "/messages", f.Token, strings.Replace(good, `"type"`, `"x":1,"type"`, 1), 400, 100},
		{"another product", "/" + f.PhoneID + "/messages", f.Token, strings.Replace(good, `"whatsapp"`, `"sms"`, 1), 400, 100},
		{"an empty body", "/" + f.PhoneID + "/messages", f.Token, strings.Replace(good, `"halo"`, `""`, 1), 400, 100},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", f.APIURL+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			Messages []struct{ ID string }
			Contacts []struct {
				Input string
				WaID  string `json:"wa_id"`
			}
			Error *struct {
				Message   string
				Type      string
				Code      int
				FBTraceID string `json:"fbtrace_id"`
			}
		}
		_ = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.status)
		}
		if c.status == 200 && (len(answer.Messages) != 1 || !strings.HasPrefix(answer.Messages[0].ID, "wamid.") ||
			len(answer.Contacts) != 1 || answer.Contacts[0].WaID != "6281234567890") {
			t.Errorf("%s: answered %+v", c.name, answer)
		}
		if c.status != 200 && (answer.Error == nil || answer.Error.Code != c.code || answer.Error.Type == "" ||
			answer.Error.FBTraceID == "" || answer.Error.Message == "") {
			t.Errorf("%s: error %+v, want Meta's shape with code %d", c.name, answer.Error, c.code)
		}
	}
	if n := len(f.Sent()); n != 1 {
		t.Errorf("the fake took %d messages, want the good one", n)
	}
}

func TestSignIsMetasHMACOfTheBody(t *testing.T) {
	// The example of Meta's webhook libraries: HMAC-SHA256 of "test" under "secret".
	if got := whatsapptest.Sign("secret", []byte("test")); got != "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914" {
		t.Errorf("Sign = %s", got)
	}
}
