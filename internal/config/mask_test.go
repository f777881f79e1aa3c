package config

import "testing"

func TestMaskHidesPasswords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://lontara:s3cret@db.local:5432/lontara", "postgres://lontara:*****@db.local:5432/lontara"},
		{"postgres://h/db?password=zz", "postgres://h/db?password=*****"},
		{"postgres://lontara@h/db?sslmode=require&password=zz", "postgres://lontara@h/db?password=*****&sslmode=require"},
		{"postgres://u:a@h/db?Password=b&sslmode=disable", "postgres://u:*****@h/db?Password=*****&sslmode=disable"},
		{"postgres://u:p%zz@h/db", "*****"},
		{"postgres://lontara@h/db?sslmode=disable", "postgres://lontara@h/db?sslmode=disable"},
		{"postgres://lontara@h/db?sslpassword=k3y&sslmode=verify-full", "postgres://lontara@h/db?sslmode=verify-full&sslpassword=*****"},
		{"host=db user=u password=s3cret dbname=l", "host=db user=u password=***** dbname=l"},
		{"host=db PASSWORD = 'a b\\'c' dbname=l", "host=db PASSWORD = ***** dbname=l"},
		{"lontara.db", "lontara.db"},
		{"/var/lib/lontara/kota makassar.db", "/var/lib/lontara/kota makassar.db"},
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
