package demo

// SearchSentences returns the sentences of the demo help desk's
// conversations (subjects, requests, answers, notes) and of its callers'
// ratings: realistic Indonesian office text, from which the search
// benchmarks build their articles and posts.
func SearchSentences() []string {
	var out []string
	for _, p := range problems {
		out = append(out, p.Subject, p.Body, p.Reply, p.Note, p.Done)
	}
	for _, cs := range ratingComments {
		for _, c := range cs {
			if c != "" {
				out = append(out, c)
			}
		}
	}
	return append(out, pendingAsk)
}

// SearchNames returns the demo's given and family names, which the search
// benchmarks sprinkle into their text as the less common words.
func SearchNames() []string {
	out := append([]string{}, maleNames...)
	out = append(out, femaleNames...)
	return append(out, familyNames...)
}
