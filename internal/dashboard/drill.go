package dashboard

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/survey"
)

// drill finds the pages behind an agency's figures (agency 0: the
// city's). Each page decides for itself what its reader may see, so a
// link never shows more than the reader's role allows.
type drill struct {
	agency int64
	p      period.Period
}

// link returns the page behind an input of the index.
func (d drill) link(key string) string {
	q := url.Values{}
	switch key {
	case loindex.InputSurvey:
		return "/survei"
	case loindex.InputTraining:
		d.opd(q, "opd")
		q.Set("tahun", strconv.Itoa(d.p.Start.Year()))
		return "/pelatihan/jp?" + q.Encode()
	case loindex.InputCoverage:
		d.opd(q, "opd")
		return with("/kompetensi/kesenjangan", q)
	case loindex.InputAnswers, loindex.InputArticles:
		if d.agency == 0 {
			return "/indeks?period=" + d.p.Label // every agency's figures side by side
		}
		anchor := "#dashboard_answerers"
		if key == loindex.InputArticles {
			anchor = "#dashboard_articles"
		}
		return fmt.Sprintf("/dasbor/opd/%d/kontribusi?period=%s%s", d.agency, d.p.Label, anchor)
	case loindex.InputSelfService, loindex.InputSLA:
		d.opd(q, "agency_id")
		q.Set("from", d.p.Start.Format("2006-01-02"))
		q.Set("to", d.p.End.AddDate(0, 0, -1).Format("2006-01-02"))
		return "/layanan/laporan?" + q.Encode()
	case loindex.InputIdeas:
		d.opd(q, "agency_id")
		return with("/ide", q)
	}
	return ""
}

func (d drill) opd(q url.Values, name string) {
	if d.agency != 0 {
		q.Set(name, strconv.FormatInt(d.agency, 10))
	}
}

func with(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// related are the platform's inputs that bear on each dimension: what the
// dimension page shows beside the survey's figure.
var related = map[string][]string{
	survey.ContinuousLearning:  {loindex.InputTraining, loindex.InputCoverage},
	survey.InquiryDialogue:     {loindex.InputAnswers, loindex.InputIdeas},
	survey.TeamLearning:        {loindex.InputAnswers, loindex.InputArticles},
	survey.EmbeddedSystems:     {loindex.InputArticles, loindex.InputSelfService},
	survey.Empowerment:         {loindex.InputIdeas, loindex.InputCoverage},
	survey.SystemConnection:    {loindex.InputSLA, loindex.InputSelfService},
	survey.StrategicLeadership: {loindex.InputTraining, loindex.InputIdeas},
}

// action is a suggested action on a dimension's page: a sentence (the
// i18n key "dashboard.act.<key>") and the page to act on.
type action struct {
	Key  string
	Href string
}

// actions returns the suggested actions for a low score in dimension key.
func (d drill) actions(key string) []action {
	opd := url.Values{}
	d.opd(opd, "opd")
	behind := url.Values{"tertinggal": {"1"}, "tahun": {strconv.Itoa(d.p.Start.Year())}}
	d.opd(behind, "opd")
	ideas := url.Values{}
	d.opd(ideas, "agency_id")
	switch key {
	case survey.ContinuousLearning:
		return []action{{"jp_behind", "/pelatihan/jp?" + behind.Encode()}, {"events", "/pelatihan"},
			{"gaps", with("/kompetensi/kesenjangan", opd)}, {"paths", "/pelatihan/jalur"}}
	case survey.InquiryDialogue:
		return []action{{"discuss", "/diskusi"}, {"coaches", "/diskusi/pembimbing"}, {"ideas", with("/ide", ideas)}}
	case survey.TeamLearning:
		return []action{{"spaces", "/diskusi"}, {"lessons", "/pelajaran"}, {"events", "/pelatihan"}}
	case survey.EmbeddedSystems:
		return []action{{"articles", "/pengetahuan"}, {"write", "/pengetahuan/baru"}, {"lessons", "/pelajaran"},
			{"self_service", d.link(loindex.InputSelfService)}}
	case survey.Empowerment:
		return []action{{"ideas", with("/ide", ideas)}, {"thanks", "/terima-kasih"}, {"gaps", with("/kompetensi/kesenjangan", opd)}}
	case survey.SystemConnection:
		return []action{{"helpdesk", d.link(loindex.InputSLA)}, {"ideas", with("/ide", ideas)}, {"announce", "/pimpinan"}}
	case survey.StrategicLeadership:
		return []action{{"targets", "/pimpinan/target"}, {"reviews", "/pimpinan"}, {"jp_behind", "/pelatihan/jp?" + behind.Encode()}}
	}
	return nil
}
