/**
 * The clinical vocabulary of the generated records: LOINC vital signs and labs with their UCUM units
 * and value distributions, SNOMED CT conditions and encounter types, RxNorm medications. Weights
 * give the skew of real records: a few vital signs dominate, some conditions are rare.
 */

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';

export interface ObservationCode {
  code: string;
  display: string;
  /** UCUM code and the unit as printed. */
  ucum: string;
  unit: string;
  category: 'vital-signs' | 'laboratory';
  weight: number;
  mean: number;
  spread: number;
  digits: number;
  /** A share of values drawn from a second, higher distribution (diabetic glucose, for example). */
  tail?: { chance: number; mean: number; spread: number };
}

const code = (code: string, display: string, ucum: string, unit: string, category: ObservationCode['category'],
  weight: number, mean: number, spread: number, digits: number, tail?: ObservationCode['tail']): ObservationCode =>
  ({ code, display, ucum, unit, category, weight, mean, spread, digits, tail });

export const OBSERVATION_CODES: ObservationCode[] = [
  code('8867-4', 'Heart rate', '/min', 'beats/minute', 'vital-signs', 14, 76, 18, 0),
  code('8480-6', 'Systolic blood pressure', 'mm[Hg]', 'mmHg', 'vital-signs', 12, 124, 22, 0),
  code('8462-4', 'Diastolic blood pressure', 'mm[Hg]', 'mmHg', 'vital-signs', 12, 79, 12, 0),
  code('29463-7', 'Body weight', 'kg', 'kg', 'vital-signs', 10, 78, 25, 1),
  code('8302-2', 'Body height', 'cm', 'cm', 'vital-signs', 6, 168, 15, 1),
  code('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 'kg/m2', 'vital-signs', 6, 27, 6, 1),
  code('8310-5', 'Body temperature', 'Cel', '°C', 'vital-signs', 5, 36.9, 0.8, 1),
  code('9279-1', 'Respiratory rate', '/min', 'breaths/minute', 'vital-signs', 5, 16, 4, 0),
  code('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', '%', 'vital-signs', 5, 97, 3, 0),
  code('2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL', 'mg/dL', 'laboratory', 5, 102, 28, 0, { chance: 0.15, mean: 215, spread: 60 }),
  code('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', '%', 'laboratory', 2, 5.6, 0.8, 1, { chance: 0.2, mean: 8.2, spread: 2 }),
  code('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 'laboratory', 2, 195, 40, 0),
  code('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 'laboratory', 1.5, 150, 70, 0),
  code('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 'laboratory', 1.5, 52, 15, 0),
  code('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'mg/dL', 'mg/dL', 'laboratory', 1.5, 115, 35, 0),
  code('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 'laboratory', 2, 1, 0.4, 2),
  code('6299-2', 'Urea nitrogen [Mass/volume] in Blood', 'mg/dL', 'mg/dL', 'laboratory', 1.5, 15, 7, 0),
  code('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', 'laboratory', 2, 140, 4, 0),
  code('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', 'laboratory', 2, 4.2, 0.6, 1),
  code('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 'g/dL', 'laboratory', 3, 14, 2, 1),
  code('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', '10^3/µL', 'laboratory', 2, 7.5, 3, 1),
  code('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', '10^3/µL', 'laboratory', 1.5, 250, 80, 0),
];

/** SNOMED CT code, display, weight, chronic (stays active) or not. */
export const CONDITION_CODES: [string, string, number, boolean][] = [
  ['59621000', 'Essential hypertension', 30, true],
  ['444814009', 'Viral sinusitis', 14, false],
  ['55822004', 'Hyperlipidemia', 18, true],
  ['44054006', 'Diabetes mellitus type 2', 15, true],
  ['162864005', 'Body mass index 30+ - obesity', 12, true],
  ['10509002', 'Acute bronchitis', 10, false],
  ['195967001', 'Asthma', 8, true],
  ['35489007', 'Depressive disorder', 8, true],
  ['197480006', 'Anxiety disorder', 7, true],
  ['396275006', 'Osteoarthritis', 6, true],
  ['65363002', 'Otitis media', 6, false],
  ['68566005', 'Urinary tract infectious disease', 6, false],
  ['43878008', 'Streptococcal sore throat', 5, false],
  ['235595009', 'Gastroesophageal reflux disease', 5, true],
  ['13645005', 'Chronic obstructive lung disease', 4, true],
  ['44465007', 'Sprain of ankle', 4, false],
  ['37796009', 'Migraine', 4, true],
  ['40930008', 'Hypothyroidism', 4, true],
  ['233604007', 'Pneumonia', 3, false],
  ['49436004', 'Atrial fibrillation', 3, true],
  ['53741008', 'Coronary arteriosclerosis', 3, true],
  ['431855005', 'Chronic kidney disease stage 1', 2, true],
  ['84757009', 'Epilepsy', 1, true],
  ['74400008', 'Appendicitis', 1, false],
  ['263102004', 'Fracture subluxation of wrist', 1, false],
  ['55464009', 'Systemic lupus erythematosus', 0.3, true],
  ['24700007', 'Multiple sclerosis', 0.3, true],
  ['31541009', 'Sarcoidosis', 0.2, true],
  ['363732003', "Addison's disease", 0.15, true],
  ['91637004', 'Myasthenia gravis', 0.15, true],
  ['190905008', 'Cystic fibrosis', 0.1, true],
  ['58756001', "Huntington's chorea", 0.1, true],
];

/** The rare conditions: less than one in a hundred conditions each. */
export const RARE_CONDITION_CODES = CONDITION_CODES.filter(([, , weight]) => weight < 0.5).map(([code]) => code);

/** v3 ActCode class, display, weight, and the SNOMED CT encounter types of that class. */
export const ENCOUNTER_CLASSES: [string, string, number, [string, string][]][] = [
  ['AMB', 'ambulatory', 80, [
    ['185349003', 'Encounter for check up (procedure)'], ['162673000', 'General examination of patient (procedure)'],
    ['185345009', 'Encounter for symptom (procedure)'], ['390906007', 'Follow-up encounter (procedure)'],
    ['185347001', 'Encounter for problem (procedure)'], ['698314001', 'Consultation for treatment (procedure)'],
  ]],
  ['EMER', 'emergency', 12, [['50849002', 'Emergency room admission (procedure)'], ['183452005', 'Emergency hospital admission (procedure)']]],
  ['IMP', 'inpatient encounter', 8, [['32485007', 'Hospital admission (procedure)'], ['305408004', 'Admission to surgical department (procedure)']]],
];

/** RxNorm code, display, weight. */
export const MEDICATION_CODES: [string, string, number][] = [
  ['314076', 'lisinopril 10 MG Oral Tablet', 12],
  ['197361', 'amlodipine 5 MG Oral Tablet', 10],
  ['860975', '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', 10],
  ['310798', 'Hydrochlorothiazide 25 MG Oral Tablet', 8],
  ['617312', 'atorvastatin 10 MG Oral Tablet', 8],
  ['313782', 'Acetaminophen 325 MG Oral Tablet', 8],
  ['310965', 'Ibuprofen 200 MG Oral Tablet', 7],
  ['308182', 'Amoxicillin 250 MG Oral Capsule', 6],
  ['312961', 'Simvastatin 20 MG Oral Tablet', 5],
  ['966222', 'Levothyroxine Sodium 0.075 MG Oral Tablet', 5],
  ['866412', '24 HR Metoprolol succinate 100 MG Extended Release Oral Tablet', 4],
  ['745679', '200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', 4],
  ['895994', '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', 3],
  ['834060', 'Penicillin V Potassium 250 MG Oral Tablet', 3],
  ['849574', 'Naproxen sodium 220 MG Oral Tablet', 3],
  ['312617', 'predniSONE 5 MG Oral Tablet', 2],
  ['1049221', 'Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet', 2],
  ['106892', 'insulin isophane, human 70 UNT/ML / Regular Insulin, Human 30 UNT/ML Injectable Suspension [Humulin]', 1.5],
  ['205923', '1 ML Epoetin Alfa 4000 UNT/ML Injection [Epogen]', 0.5],
];
