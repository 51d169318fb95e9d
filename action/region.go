package action

// regionNames are the Regions' display names as CloudWatch writes them in
// the Region field of its SNS message, its subjects and its emails. They
// are the AWS Regions' names, with one difference: CloudWatch still writes
// "EU (...)" where AWS now writes "Europe (...)". The names marked "seen"
// appear in real messages; the others are inferred from the same pattern
// (see the package's Caveats).
var regionNames = map[string]string{
	"us-east-1":      "US East (N. Virginia)",   // seen
	"us-east-2":      "US East (Ohio)",          // seen
	"us-west-1":      "US West (N. California)", // seen
	"us-west-2":      "US West (Oregon)",        // seen
	"af-south-1":     "Africa (Cape Town)",
	"ap-east-1":      "Asia Pacific (Hong Kong)",
	"ap-east-2":      "Asia Pacific (Taipei)",
	"ap-south-1":     "Asia Pacific (Mumbai)", // seen
	"ap-south-2":     "Asia Pacific (Hyderabad)",
	"ap-southeast-1": "Asia Pacific (Singapore)", // seen
	"ap-southeast-2": "Asia Pacific (Sydney)",    // seen
	"ap-southeast-3": "Asia Pacific (Jakarta)",
	"ap-southeast-4": "Asia Pacific (Melbourne)",
	"ap-southeast-5": "Asia Pacific (Malaysia)",
	"ap-southeast-6": "Asia Pacific (New Zealand)",
	"ap-southeast-7": "Asia Pacific (Thailand)",
	"ap-northeast-1": "Asia Pacific (Tokyo)", // seen
	"ap-northeast-2": "Asia Pacific (Seoul)", // seen
	"ap-northeast-3": "Asia Pacific (Osaka)",
	"ca-central-1":   "Canada (Central)", // seen
	"ca-west-1":      "Canada West (Calgary)",
	"eu-central-1":   "EU (Frankfurt)", // seen
	"eu-central-2":   "EU (Zurich)",
	"eu-west-1":      "EU (Ireland)", // seen
	"eu-west-2":      "EU (London)",  // seen
	"eu-west-3":      "EU (Paris)",   // seen
	"eu-south-1":     "EU (Milan)",   // seen
	"eu-south-2":     "EU (Spain)",
	"eu-north-1":     "EU (Stockholm)", // seen
	"il-central-1":   "Israel (Tel Aviv)",
	"me-south-1":     "Middle East (Bahrain)",
	"me-central-1":   "Middle East (UAE)",
	"mx-central-1":   "Mexico (Central)",
	"sa-east-1":      "South America (Sao Paulo)", // seen: ASCII, no "ã"
	// Outside the commercial partition.
	"us-gov-west-1":  "AWS GovCloud (US-West)",
	"us-gov-east-1":  "AWS GovCloud (US-East)",
	"cn-north-1":     "China (Beijing)",
	"cn-northwest-1": "China (Ningxia)",
}

// RegionName returns the display name CloudWatch writes for a Region code
// in its SNS messages, subjects and emails: "US East (N. Virginia)" for
// us-east-1, "EU (Ireland)" for eu-west-1. A code it does not know is
// returned as it is.
func RegionName(code string) string {
	if n, ok := regionNames[code]; ok {
		return n
	}
	return code
}
