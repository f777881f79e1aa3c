// Package config is Lontara's configuration: one typed struct, filled from one
// table of options, each readable from a command-line flag and from an
// environment variable (flag over variable over default). Commands register
// the options they use; `lontara config` prints the effective values with
// secrets masked.
package config

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Config is the effective configuration, passed to the parts that need it.
type Config struct {
	Addr            string
	DB              string
	DBRead          string        // the read replica dashboards and reports read (empty: --db)
	DBReadMaxLag    time.Duration // how far the replica may trail the primary before reads leave it
	BaseURL         string
	TrustedProxies  string
	MetricsAllow    string
	TimeZone        string
	LogLevel        string
	LogFormat       string
	SessionTTL      time.Duration
	HashConcurrency int
	SignInLimit     int
	// AttachmentMaxMB and AttachmentMaxFiles bound the files one help desk
	// message may carry: MiB per file, files per message.
	AttachmentMaxMB    int
	AttachmentMaxFiles int

	// The SMS gateway (Kannel): its sendsms address and user, the sender
	// id messages go out with, and the secret Kannel's sms-service and
	// delivery reports present when they call us.
	KannelSendSMSURL string
	KannelUser       string
	KannelPassword   string
	SMSSender        string
	SMSSecret        string
	// Email: the relay mail goes out through (HOST:PORT, STARTTLS when it
	// offers it, AUTH when a user is given), the address it goes out from,
	// and the address of the built-in SMTP listener mail comes in by.
	SMTPRelay    string
	SMTPUser     string
	SMTPPassword string
	SMTPListen   string
	SMTPAuthServ string
	MailFrom     string
	// WhatsApp Business Cloud API: the Graph API's base address, the
	// number's id and access token for sending, the verify token of the
	// webhook's handshake and the app secret its signatures are made with.
	WhatsAppAPIURL      string
	WhatsAppPhoneID     string
	WhatsAppToken       string
	WhatsAppVerifyToken string
	WhatsAppAppSecret   string

	// JobsEvery, when not zero, replaces every scheduled job's own
	// interval: for tests and demos that cannot wait an hour.
	JobsEvery time.Duration
}

// Default returns the configuration with every option at its default.
func Default() Config {
	var c Config
	for _, o := range options {
		if err := o.set(&c, o.def); err != nil {
			panic(err)
		}
	}
	return c
}

// option is one row of the table: a flag, its variable, its default.
type option struct {
	name, env, def, help string
	secret               bool // a URL that may hold a password: Print masks the password
	hidden               bool // a password or token: Print hides it whole
	ptr                  func(c *Config) any
}

var options = []option{
	{name: "addr", env: "LONTARA_ADDR", def: "127.0.0.1:8080", help: "address to listen on (HOST:PORT)",
		ptr: func(c *Config) any { return &c.Addr }},
	{name: "db", env: "LONTARA_DB", def: "lontara.db", help: "SQLite file path, or a postgres:// URL", secret: true,
		ptr: func(c *Config) any { return &c.DB }},
	{name: "db-read", env: "LONTARA_DB_READ", def: "", help: "a read replica of the PostgreSQL --db (postgres:// URL) that dashboards and reports read from (empty: the primary)", secret: true,
		ptr: func(c *Config) any { return &c.DBRead }},
	{name: "db-read-max-lag", env: "LONTARA_DB_READ_MAX_LAG", def: db.DefaultReplicaMaxLag.String(), help: "how far the read replica may trail the primary before dashboards and reports read the primary instead, until it catches up",
		ptr: func(c *Config) any { return &c.DBReadMaxLag }},
	{name: "base-url", env: "LONTARA_BASE_URL", def: "", help: "public URL when behind a reverse proxy (https:// makes cookies Secure)",
		ptr: func(c *Config) any { return &c.BaseURL }},
	{name: "trusted-proxies", env: "LONTARA_TRUSTED_PROXIES", def: "", help: "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed",
		ptr: func(c *Config) any { return &c.TrustedProxies }},
	{name: "metrics-allow", env: "LONTARA_METRICS_ALLOW", def: "127.0.0.1/32,::1/128", help: "comma-separated addresses or CIDRs allowed to read /metrics (empty: anyone)",
		ptr: func(c *Config) any { return &c.MetricsAllow }},
	{name: "timezone", env: "LONTARA_TIMEZONE", def: "Asia/Makassar", help: "the city's time zone, for showing times",
		ptr: func(c *Config) any { return &c.TimeZone }},
	{name: "log-level", env: "LONTARA_LOG_LEVEL", def: "info", help: "debug, info, warn or error",
		ptr: func(c *Config) any { return &c.LogLevel }},
	{name: "log-format", env: "LONTARA_LOG_FORMAT", def: "text", help: "text or json",
		ptr: func(c *Config) any { return &c.LogFormat }},
	{name: "session-ttl", env: "LONTARA_SESSION_TTL", def: "12h", help: "how long a session lasts without activity",
		ptr: func(c *Config) any { return &c.SessionTTL }},
	{name: "hash-concurrency", env: "LONTARA_HASH_CONCURRENCY", def: "2", help: "password hashes computed at once (each takes 19 MiB)",
		ptr: func(c *Config) any { return &c.HashConcurrency }},
	{name: "signin-limit", env: "LONTARA_SIGNIN_LIMIT", def: "10", help: "failed sign-ins for one account from one address in 15 minutes before that address is held back for it (10 times as many from one address for any accounts)",
		ptr: func(c *Config) any { return &c.SignInLimit }},
	{name: "attachment-max-mb", env: "LONTARA_ATTACHMENT_MAX_MB", def: "10", help: "largest file a help desk ticket or reply may carry, in MiB",
		ptr: func(c *Config) any { return &c.AttachmentMaxMB }},
	{name: "attachment-max-files", env: "LONTARA_ATTACHMENT_MAX_FILES", def: "5", help: "most files one help desk ticket or reply may carry",
		ptr: func(c *Config) any { return &c.AttachmentMaxFiles }},
	{name: "kannel-sendsms-url", env: "LONTARA_KANNEL_SENDSMS_URL", def: "", help: "Kannel's sendsms address, e.g. http://127.0.0.1:13013/cgi-bin/sendsms (empty: no SMS); may carry username= and password=", secret: true,
		ptr: func(c *Config) any { return &c.KannelSendSMSURL }},
	{name: "kannel-user", env: "LONTARA_KANNEL_USER", def: "", help: "Kannel sendsms-user username",
		ptr: func(c *Config) any { return &c.KannelUser }},
	{name: "kannel-password", env: "LONTARA_KANNEL_PASSWORD", def: "", help: "Kannel sendsms-user password", hidden: true,
		ptr: func(c *Config) any { return &c.KannelPassword }},
	{name: "sms-sender", env: "LONTARA_SMS_SENDER", def: "", help: "sender id (short code or number) SMS go out with",
		ptr: func(c *Config) any { return &c.SMSSender }},
	{name: "sms-secret", env: "LONTARA_SMS_SECRET", def: "", help: "shared secret Kannel's sms-service and dlr-url present (secret=…); required with --kannel-sendsms-url", hidden: true,
		ptr: func(c *Config) any { return &c.SMSSecret }},
	{name: "smtp-relay", env: "LONTARA_SMTP_RELAY", def: "", help: "SMTP relay for outgoing mail, HOST:PORT (STARTTLS when offered; empty: no email)",
		ptr: func(c *Config) any { return &c.SMTPRelay }},
	{name: "smtp-user", env: "LONTARA_SMTP_USER", def: "", help: "user for SMTP AUTH at the relay (empty: no AUTH)",
		ptr: func(c *Config) any { return &c.SMTPUser }},
	{name: "smtp-password", env: "LONTARA_SMTP_PASSWORD", def: "", help: "password for SMTP AUTH at the relay", hidden: true,
		ptr: func(c *Config) any { return &c.SMTPPassword }},
	{name: "smtp-listen", env: "LONTARA_SMTP_LISTEN", def: "", help: "address of the built-in SMTP listener for incoming mail, HOST:PORT (empty: none)",
		ptr: func(c *Config) any { return &c.SMTPListen }},
	{name: "smtp-trusted-authserv", env: "LONTARA_SMTP_TRUSTED_AUTHSERV", def: "", help: "authserv-id of the mail server in front of --smtp-listen: a mail is taken as from its From: address only when that server's Authentication-Results headers say DMARC passed for its domain (empty: the From: header is believed)",
		ptr: func(c *Config) any { return &c.SMTPAuthServ }},
	{name: "mail-from", env: "LONTARA_MAIL_FROM", def: "", help: "the help desk's address: mail goes out from it and comes in to it",
		ptr: func(c *Config) any { return &c.MailFrom }},
	{name: "whatsapp-api-url", env: "LONTARA_WHATSAPP_API_URL", def: "https://graph.facebook.com/v21.0", help: "WhatsApp Cloud API base address",
		ptr: func(c *Config) any { return &c.WhatsAppAPIURL }},
	{name: "whatsapp-phone-id", env: "LONTARA_WHATSAPP_PHONE_ID", def: "", help: "WhatsApp phone number id messages go out from (empty: no WhatsApp)",
		ptr: func(c *Config) any { return &c.WhatsAppPhoneID }},
	{name: "whatsapp-token", env: "LONTARA_WHATSAPP_TOKEN", def: "", help: "WhatsApp Cloud API access token", hidden: true,
		ptr: func(c *Config) any { return &c.WhatsAppToken }},
	{name: "whatsapp-verify-token", env: "LONTARA_WHATSAPP_VERIFY_TOKEN", def: "", help: "token the webhook's verification handshake must present", hidden: true,
		ptr: func(c *Config) any { return &c.WhatsAppVerifyToken }},
	{name: "whatsapp-app-secret", env: "LONTARA_WHATSAPP_APP_SECRET", def: "", help: "app secret the webhook's X-Hub-Signature-256 is checked with", hidden: true,
		ptr: func(c *Config) any { return &c.WhatsAppAppSecret }},
	{name: "jobs-every", env: "LONTARA_JOBS_EVERY", def: "0s", help: "run every scheduled job at this interval instead of its own, for tests and demos (0: each job's own)",
		ptr: func(c *Config) any { return &c.JobsEvery }},
}

func (o option) set(c *Config, s string) error {
	switch p := o.ptr(c).(type) {
	case *string:
		*p = s
	case *int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not a number", o.name, s)
		}
		*p = n
	case *time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not a duration such as 30m or 12h", o.name, s)
		}
		*p = d
	}
	return nil
}

func (o option) get(c *Config) string {
	switch p := o.ptr(c).(type) {
	case *string:
		return *p
	case *int:
		return strconv.Itoa(*p)
	case *time.Duration:
		return p.String()
	}
	return ""
}

// flagValue binds one option to a flag.
type flagValue struct {
	o option
	c *Config
}

func (f flagValue) String() string {
	if f.c == nil {
		return f.o.def
	}
	return f.o.get(f.c)
}
func (f flagValue) Set(s string) error { return f.o.set(f.c, s) }

// Bind registers the named options on fs, with c holding their values: each
// starts from its environment variable, else its default, and a flag given
// on the command line overrides both. It fails on a malformed variable.
func Bind(fs *flag.FlagSet, c *Config, names ...string) error {
	for _, name := range names {
		o, ok := lookup(name)
		if !ok {
			panic("config: no option " + name)
		}
		v := o.def
		if env, ok := os.LookupEnv(o.env); ok {
			v = env
		}
		if err := o.set(c, v); err != nil {
			return fmt.Errorf("%s: %w", o.env, err)
		}
		fs.Var(flagValue{o: o, c: c}, o.name, o.help+" ($"+o.env+")")
	}
	return nil
}

// Names lists every option's flag name.
func Names() []string {
	names := make([]string, len(options))
	for i, o := range options {
		names[i] = o.name
	}
	return names
}

func lookup(name string) (option, bool) {
	for _, o := range options {
		if o.name == name {
			return o, true
		}
	}
	return option{}, false
}

// Print writes every option as VARIABLE=value, with secrets masked.
func Print(w io.Writer, c *Config) {
	for _, o := range options {
		v := o.get(c)
		if o.secret {
			v = Mask(v)
		}
		if o.hidden && v != "" {
			v = "*****"
		}
		fmt.Fprintf(w, "%s=%s\n", o.env, v)
	}
}

// keywordPassword finds the password of a libpq keyword connection string.
var keywordPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// Mask hides the passwords in a URL: in its user part
// (postgres://user:secret@host → user:*****@host) and in a password=
// query parameter, which libpq-style URLs accept too, and in libpq's
// keyword form (host=… password=…). A URL too malformed to read is hidden
// whole; a value without a password is shown as it is.
func Mask(v string) string {
	if !strings.Contains(v, "://") { // a path, or libpq's keyword form (host=… password=…)
		return keywordPassword.ReplaceAllString(v, "${1}*****")
	}
	u, err := url.Parse(v)
	if err != nil { // a malformed URL may still hold a password
		return "*****"
	}
	const hidden = "LONTARAxMASKED" // '*' would come out escaped
	masked := false
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), hidden)
			masked = true
		}
	}
	q := u.Query()
	for k := range q {
		if lk := strings.ToLower(k); lk == "password" || lk == "sslpassword" {
			q[k] = []string{hidden}
			masked = true
		}
	}
	if !masked {
		return v
	}
	u.RawQuery = q.Encode()
	return strings.ReplaceAll(u.String(), hidden, "*****")
}
