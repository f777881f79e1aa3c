// Package survey runs questionnaires: the learning-organization survey of
// the seven Watkins & Marsick dimensions and the instruments admins build,
// in campaigns whose answers cannot be traced back to who gave them.
package survey

// The keys of the seven dimensions of a learning organization (Watkins &
// Marsick), in their usual order. Items of the built-in LO instrument carry
// one of them in survey_items.dimension; the LO index reads them.
const (
	ContinuousLearning  = "continuous_learning"
	InquiryDialogue     = "inquiry_dialogue"
	TeamLearning        = "team_learning"
	EmbeddedSystems     = "embedded_system"
	Empowerment         = "empowerment"
	SystemConnection    = "system_connection"
	StrategicLeadership = "strategic_leadership"
)

// Dimensions lists the seven keys in order. Their names are the i18n keys
// "lo.dim.<key>".
var Dimensions = []string{
	ContinuousLearning, InquiryDialogue, TeamLearning, EmbeddedSystems,
	Empowerment, SystemConnection, StrategicLeadership,
}

// LOInstrument is the code of the built-in LO instrument.
const LOInstrument = "lo"

// MinGroup is the fewest respondents a result may be shown for: a smaller
// group's answers would be too close to a person's own.
const MinGroup = 5
