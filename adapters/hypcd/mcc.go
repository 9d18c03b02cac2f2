package hypcd

import (
	"sort"
	"strings"
)

// mccGroup is one group of ISO 18245 merchant category codes (MCC) with
// the words of the codes' descriptions, plus a few everyday synonyms and
// their common German, French, Spanish and Italian forms.
type mccGroup struct {
	name  string
	codes string // the codes or ranges of the group, for reference
	words string
}

// mccGroups is a small, general merchant-type lexicon written from the
// public descriptions of the ISO 18245 merchant category codes that card
// networks assign to merchants. It covers every range of the standard; its
// groups follow the ranges, except that drug stores and medical goods
// (5047, 5122, 5912, 5975, 5976, ambulances 4119) join the medical
// services, digital goods (5815–5818) and record and music stores form one
// group, and airlines, car rental and lodging form the travel group with
// travel agencies. Billing models (5968 "continuity/subscription",
// 5960–5969 direct marketing) name how a merchant bills, not what it is,
// so their words are left out.
var mccGroups = []mccGroup{
	{"agricultural", "0742 0763 0780", `agricultural veterinary veterinarian vet animal
 cooperative landscaping horticultural farm farming tierarzt veterinaire`},
	{"contractors", "1520-1799", `contractor contractors construction general residential commercial plumbing heating
 air conditioning electrical masonry stonework tile setting plastering insulation carpentry roofing siding
 sheet metal concrete builder building renovation`},
	{"travel", "3000-3999 4511 4722 7011 7012 7033 7512 7513 7519", `airline airlines air carrier airways
 flight flights aviation airport travel agency agencies tour operator operators tours holiday holidays
 vacation lodging hotel hotels motel motels resort resorts inn hostel timeshare campground campgrounds
 trailer park car truck rental rent hire vermietung hotellerie reisen voyage voyages viaje viaggi`},
	{"transportation", "4011-4789", `railroad railroads railway railways rail train trains commuter passenger
 transport transportation transit metro subway underground tram bus buses coach coaches lines taxi taxicab
 taxicabs limousine limousines cab ride rides ambulance ferry ferries cruise cruises marine toll tolls
 bridge road parking garage garages freight trucking courier couriers delivery moving storage warehousing
 postage shipping bahn verkehr stationnement transporte trasporti`},
	{"telecom-utilities", "4812-4900", `telecommunication telecommunications telephone telephones phone mobile
 cellular wireless prepaid fax internet broadband fibre fiber cable satellite television pay radio
 utilities utility electric electricity power gas water sanitary sewage energy heating fuel oil
 telekom strom stadtwerke electricite agua luce`},
	{"wholesale-supplies", "5013-5199", `wholesale distributor distributors supplies office commercial equipment
 industrial nondurable durable chemicals metal piping printing stationery paper packaging motor vehicle
 parts photographic precious stones`},
	{"home-building", "5200-5299 5712-5734", `home supply hardware lumber building materials paint
 wallpaper varnish glass lawn garden nursery mobile homes furniture furnishings household appliances
 appliance floor covering covering carpet rugs drapery upholstery fireplace electronics computer computers
 software peripherals baumarkt moebel mobel bricolage muebles`},
	{"general-merchandise", "5300-5399", `department store stores discount variety general merchandise wholesale
 club clubs duty free warehouse kaufhaus grand magasin almacen`},
	{"food-stores", "5411-5499", `grocery groceries supermarket supermarkets convenience food stores freezer
 locker meat provisioners candy nut confectionery dairy products bakery bakeries bakers markets specialty
 butcher delicatessen deli greengrocer supermarkt lebensmittel baeckerei boulangerie supermarche
 epicerie supermercado panaderia alimentari`},
	{"automotive", "5511-5599 7511 7523 7531-7549", `automobile automobiles auto automotive car cars
 truck dealer dealers dealership used sales service leasing motorcycle motorcycles boat boats
 recreational vehicle vehicles camper snowmobile tire tires tyre tyres accessories fuel petrol gasoline diesel filling charging car wash towing body repair shop tankstelle
 essence carburant gasolinera`},
	{"clothing", "5611-5699", `clothing apparel men mens women womens children childrens infants ready wear
 accessories family shoe shoes footwear furrier furriers fur tailor tailors alterations sportswear
 uniforms wig boutique fashion kleidung mode vetements ropa abbigliamento`},
	{"eating-drinking", "5811-5814", `eating drinking places restaurant restaurants caterer caterers catering
 bar bars tavern taverns pub pubs nightclub nightclubs cocktail lounge lounges discotheque fast food
 cafe cafes coffee diner bistro pizza pizzeria burger grill kitchen takeaway gaststaette brasserie
 ristorante trattoria cafeteria`},
	{"digital-media", "5733 5735 5815-5818", `digital goods media books movies music games applications
 apps software downloads streaming stream record records music stores instruments audiobooks ebooks
 video videos musique musik`},
	{"miscellaneous-stores", "5931-5999", `used merchandise second hand secondhand antique antiques pawn
 pawnshop wrecking salvage bicycle bicycles sporting goods sports equipment book stores bookstore
 bookseller stationery office supplies jewelry jewellery watch watches clock silverware hobby
 toy toys game games craft sewing needlework fabric camera photographic gift card novelty souvenir
 luggage leather art dealers galleries gallery artist supply supplies cosmetics perfume beauty
 florist florists flowers cigar tobacco tobacconist newsstand news dealers liquor wine beer spirits
 pet shops fireworks swimming pools typewriter buchhandlung librairie libreria`},
	{"financial", "6010-6540 6760 6211 6300", `financial institution institutions bank banks banking
 manual cash disbursement disbursements automated teller atm merchandise quasi cash money order
 orders foreign currency exchange travelers cheques securities brokers dealers stock broker
 brokerage investment insurance underwriting loan loans credit union savings mortgage
 lending versicherung assurance seguro`},
	{"personal-services", "7210-7299", `laundry laundries laundromat cleaning dry cleaners garment services
 carpet upholstery photographic studios studio beauty barber barbers salon salons hair hairdresser
 nail spa spas shoe repair shine hat funeral crematories cemetery dating escort massage parlors
 tax preparation counseling babysitting wedding friseur coiffeur peluqueria`},
	{"business-services", "7311-7399", `advertising agency agencies consumer credit reporting collection
 blueprinting photocopying photofinishing commercial photography art graphics quick copy reproduction
 stenographic secretarial exterminating disinfecting cleaning maintenance janitorial employment temporary
 help computer programming data processing integrated systems design information retrieval
 management consulting detective protective security guard armored car equipment
 rental leasing telemarketing hosting cloud`},
	{"repair-services", "7622-7699", `repair repairs electronics electrical air conditioning refrigeration
 watch clock jewelry furniture reupholstery refinishing welding miscellaneous shops services`},
	{"amusement-recreation", "7829-7999", `motion picture pictures theater theaters theatre theatres cinema
 cinemas movie movies film films video tape rental dance halls studios ballroom theatrical producers
 ticket tickets agencies bands orchestras entertainers concert concerts billiard pool bowling alley
 alleys commercial sports professional clubs club athletic fields sports promoters racetrack race
 tracks tourist attractions exhibits golf driving ranges video amusement game games arcade
 arcades betting casino lottery gambling amusement park parks theme circus circuses carnival fortune
 tellers membership country club recreation recreational aquarium aquariums zoo zoos museum museums
 fitness gym gyms health club swimming skating skiing kino theatre teatro spettacoli spectacle`},
	{"medical-services", "4119 5047 5122 5912 5975 5976 8011-8099", `medical dental ophthalmic hospital
 hospitals equipment drug drugs proprietaries druggist druggists sundries pharmacy pharmacies pharmacist
 chemist chemists drugstore prescription hearing aids orthopedic prosthetic devices doctor doctors
 physician physicians dentist dentists orthodontist orthodontists osteopath osteopaths chiropractor
 chiropractors optometrist optometrists ophthalmologist ophthalmologists optician opticians optical
 eyeglasses podiatrist podiatrists chiropodist chiropodists nursing care facilities laboratory
 laboratories lab labs pathology diagnostic diagnostics clinic clinics healthcare health practitioners
 therapist therapy physiotherapy surgery surgeon ambulance apotheke arzt zahnarzt klinik krankenhaus
 praxis pharmacie medecin hopital dentiste farmacia medico clinica ospedale`},
	{"educational-services", "8211-8299 8351", `schools school elementary secondary primary high
 colleges college universities university professional junior correspondence business secretarial
 trade vocational educational education tuition academy institute course courses class classes
 lesson lessons learning training tutoring tutor student students child care nursery kindergarten
 preschool daycare schule hochschule universitaet kurs ecole universite cours escuela universidad
 colegio scuola universita`},
	{"organizations-professional", "8111 8398-8999", `legal services attorneys attorney lawyers lawyer
 solicitors charitable social service organizations fundraising civic fraternal associations political
 religious church churches automobile associations membership organizations professional accounting
 auditing bookkeeping architectural engineering surveying consulting services donation donations
 charity trust foundation union dues anwalt notaire`},
	{"government", "9211-9950", `court costs alimony child support fines penalties bail bond bail bonds
 tax payments government services postal services intra government purchases council licence license
 registration passport visa customs duty municipal city finanzamt impots`},
}

// mccStop are description words that name no merchant type.
var mccStop = setOf(`and or of the not elsewhere classified other services service stores store shops shop
 goods supplies supply products miscellaneous`)

// mccLexicon maps a word stem to the MCC groups whose descriptions hold
// it, each with weight 1/(number of such groups); built once from
// mccGroups.
var mccLexicon, mccStems = buildMCCLexicon()

func buildMCCLexicon() (map[string]map[int]float64, []string) {
	lex := map[string]map[int]float64{}
	for g, grp := range mccGroups {
		for _, w := range strings.Fields(grp.words) {
			if mccStop[w] {
				continue
			}
			s := mccStem(w)
			if lex[s] == nil {
				lex[s] = map[int]float64{}
			}
			lex[s][g] = 1
		}
	}
	stems := make([]string, 0, len(lex))
	for s, gs := range lex {
		for g := range gs {
			gs[g] = 1 / float64(len(gs))
		}
		stems = append(stems, s)
	}
	sort.Strings(stems)
	return lex, stems
}

// mccStem folds plural endings: "pharmacies" and "pharmacy" share a stem,
// as do "theatres" and "theatre".
func mccStem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && strings.HasSuffix(w, "ses"):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}

// mccGroupsOf returns the MCC groups a word of a description points to,
// as weights that sum to 1 (nil when it points to none). A word matches
// a lexicon stem exactly, as a truncation (a prefix of at least five
// letters: banks cut long payee names), with one typo (a word of at least
// six letters at edit distance 1), or, for a long run-together word
// (PayPal and card-network names drop the spaces), when it contains a
// stem of at least six letters.
func mccGroupsOf(word string) map[int]float64 {
	if len(word) < 3 {
		return nil
	}
	s := mccStem(word)
	if gs, ok := mccLexicon[s]; ok {
		return gs
	}
	out := map[int]float64{}
	n := 0
	add := func(gs map[int]float64) {
		n++
		for g, x := range gs {
			out[g] += x
		}
	}
	for _, st := range mccStems {
		switch {
		case len(s) >= 5 && strings.HasPrefix(st, s):
			add(mccLexicon[st])
		case len(s) >= 6 && len(st) >= 5 && editDistance1(s, st):
			add(mccLexicon[st])
		}
	}
	if n == 0 && len(s) >= 10 {
		for _, st := range mccStems {
			if len(st) >= 6 && strings.Contains(s, st) {
				add(mccLexicon[st])
			}
		}
	}
	if n == 0 {
		return nil
	}
	for g := range out {
		out[g] /= float64(n)
	}
	return out
}

// editDistance1 reports whether a and b differ by exactly one inserted,
// deleted or replaced byte, or by two swapped neighbouring bytes (a
// letter outside ASCII is several bytes, so it counts as several edits).
func editDistance1(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := -1
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// two differences: only a swap of neighbours counts
					return i == diff+1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return diff >= 0
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// mccVector is the merchant-type view of a list of words: the sum of the
// MCC groups of its words (see mccGroupsOf), nil when no word points to a
// group.
func mccVector(words []string, cache map[string]map[int]float64) map[int]float64 {
	var v map[int]float64
	for _, w := range words {
		gs, ok := cache[w]
		if !ok {
			gs = mccGroupsOf(w)
			cache[w] = gs
		}
		for g, x := range gs {
			if v == nil {
				v = map[int]float64{}
			}
			v[g] += x
		}
	}
	return v
}
