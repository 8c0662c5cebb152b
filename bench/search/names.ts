/**
 * Names and places for generated patients, practitioners and organizations: family names roughly in
 * order of frequency (a Zipf-like skew makes the first ones common), given names by gender, a few
 * with accents as real registries have them, and US cities with their state and ZIP prefix.
 */

export const FAMILY_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gómez', 'Phillips', 'Evans', 'Turner', 'Díaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutiérrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chávez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Álvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jiménez',
  'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes',
  'Fischer', 'Müller', 'Schröder', 'Weiß', 'Dubois', 'Lefèvre', 'Bergström', 'Ødegaard', 'Nuñez', 'Muñoz',
  'Peña', 'Fernández', 'Šimek', 'Novák', 'Kowalski', 'Wiśniewski', 'O\'Brien', 'O\'Connor', 'McCarthy', 'Byrne',
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco',
  'Tanaka', 'Suzuki', 'Watanabe', 'Yamamoto', 'Chen', 'Wang', 'Zhang', 'Liu', 'Singh', 'Kumar',
  'Okafor', 'Adeyemi', 'Mensah', 'Haddad', 'Khalil', 'Nasser', 'Cohen', 'Levi', 'Friedman', 'Katz',
];

export const FEMALE_GIVEN_NAMES = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Lisa', 'Nancy', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle',
  'Carol', 'Amanda', 'Dorothy', 'Melissa', 'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia',
  'María', 'Sofía', 'Lucía', 'Zoë', 'Chloé', 'Renée', 'Ingrid', 'Astrid', 'Siobhán', 'Ana',
  'Olivia', 'Emma', 'Ava', 'Isabella', 'Mia', 'Amelia', 'Harper', 'Evelyn', 'Abigail', 'Ella',
  'Aisha', 'Fatima', 'Yuki', 'Mei', 'Priya', 'Ngozi', 'Leah', 'Hannah', 'Grace', 'Nora',
];

export const MALE_GIVEN_NAMES = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'Christopher', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Paul', 'Andrew', 'Joshua',
  'Kenneth', 'Kevin', 'Brian', 'George', 'Timothy', 'Ronald', 'Edward', 'Jason', 'Jeffrey', 'Ryan',
  'José', 'Jesús', 'André', 'François', 'Björn', 'Søren', 'Jürgen', 'Łukasz', 'Seán', 'Luis',
  'Liam', 'Noah', 'Oliver', 'Elijah', 'Lucas', 'Mason', 'Logan', 'Ethan', 'Aiden', 'Jacob',
  'Mohammed', 'Omar', 'Hiroshi', 'Wei', 'Arjun', 'Chidi', 'Samuel', 'Isaac', 'Leo', 'Felix',
];

/** City, state, ZIP prefix, area code. */
export const CITIES: [string, string, string, string][] = [
  ['Boston', 'MA', '021', '617'], ['Springfield', 'MA', '011', '413'], ['Worcester', 'MA', '016', '508'],
  ['Providence', 'RI', '029', '401'], ['Hartford', 'CT', '061', '860'], ['New Haven', 'CT', '065', '203'],
  ['Albany', 'NY', '122', '518'], ['Buffalo', 'NY', '142', '716'], ['Rochester', 'NY', '146', '585'],
  ['Newark', 'NJ', '071', '973'], ['Trenton', 'NJ', '086', '609'], ['Philadelphia', 'PA', '191', '215'],
  ['Pittsburgh', 'PA', '152', '412'], ['Baltimore', 'MD', '212', '410'], ['Richmond', 'VA', '232', '804'],
  ['Raleigh', 'NC', '276', '919'], ['Charlotte', 'NC', '282', '704'], ['Atlanta', 'GA', '303', '404'],
  ['Miami', 'FL', '331', '305'], ['Orlando', 'FL', '328', '407'], ['Nashville', 'TN', '372', '615'],
  ['Chicago', 'IL', '606', '312'], ['Detroit', 'MI', '482', '313'], ['Columbus', 'OH', '432', '614'],
  ['Cleveland', 'OH', '441', '216'], ['Minneapolis', 'MN', '554', '612'], ['St. Louis', 'MO', '631', '314'],
  ['Denver', 'CO', '802', '303'], ['Phoenix', 'AZ', '850', '602'], ['Seattle', 'WA', '981', '206'],
  ['Portland', 'OR', '972', '503'], ['San José', 'CA', '951', '408'], ['Los Angeles', 'CA', '900', '213'],
  ['San Diego', 'CA', '921', '619'], ['Austin', 'TX', '787', '512'], ['Houston', 'TX', '770', '713'],
];

export const STREETS = [
  'Main Street', 'Oak Avenue', 'Maple Drive', 'Washington Street', 'Park Road', 'Elm Street', 'Cedar Lane',
  'Pine Street', 'Lake View Drive', 'Hillside Avenue', 'Church Street', 'Mill Road', 'River Road', 'Sunset Boulevard',
  'Chestnut Street', 'Highland Avenue', 'Forest Drive', 'Spring Street', 'Union Street', 'Bridge Street',
];

export const ORGANIZATION_KINDS = ['General Hospital', 'Medical Center', 'Community Clinic', 'Family Practice', 'Health Center'];
