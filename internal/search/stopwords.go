package search

import "strings"

// stopWordList holds Indonesian function words: conjunctions, prepositions,
// pronouns, auxiliaries, question words, particles and quantifiers. They
// occur in nearly every text, so they neither help find a document nor rank
// it; FTS operators (and, or, not, near) are listed too so a query can never
// smuggle syntax through.
const stopWordList = `
ada adakah adalah adanya agak agar akan akankah akhirnya aku akulah amat
anda andalah antar antara apa apaan apabila apakah apalagi apapun atas atau
ataukah ataupun bagai bagaikan bagaimana bagaimanakah bagi bahkan bahwa
bahwasanya banyak beberapa begini begitu begitupun belum belumlah 
berapa berapakah betapa biar bila bilamana bisa boleh bukan bukankah bukanlah
bukannya cukup dahulu dalam dan dapat dari daripada demi demikian
dengan di dia diri dirinya dong dulu engkau entah 
hampir hanya hanyalah harus haruslah hingga ia ialah ibarat ingin ini inilah
itu itulah jadi jangan jika jikalau juga justru kadang kah kalau kalian kami
kamilah kamu kamulah kan kapan kapankah karena karenanya ke kecuali
kemudian kenapa kepada kepadanya ketika kini kita kitalah lagi lah lain
lainnya lalu lebih maka makin malah mana manakala manalagi masih
masing mau maupun melainkan melalui memang mereka merekalah meski meskipun
mungkin namun nanti nah nya oleh olehnya pada padahal padanya para pasti
per perlu pernah pula pun punya saat saja sambil sampai sana sangat
sangatlah saya sayalah se sebab sebagai sebagaimana sebelum sebelumnya
sebuah secara sedang sedangkan sedikit segala sehingga sejak sekali
sekalipun sekarang selain selalu selama semua semuanya sendiri seorang
seperti sering serta sesuatu setelah setiap siapa siapakah sini situ
sudah sudahlah supaya tadi tanpa tapi telah tentang tentu terhadap
tersebut tetapi tiap tidak tidaklah toh untuk wah walau walaupun ya yaitu
yakni yang
and or not near
`

var stopWords = func() map[string]struct{} {
	m := make(map[string]struct{}, 256)
	for _, w := range strings.Fields(stopWordList) {
		m[w] = struct{}{}
	}
	return m
}()

// IsStopWord reports whether w (lowercase) is an Indonesian stop word.
func IsStopWord(w string) bool { _, ok := stopWords[w]; return ok }
