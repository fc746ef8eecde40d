/**
 * Distribution release names. Advisory feeds, purl `distro=` qualifiers and os-release files name
 * releases by codename or by number; everything that compares them goes through these tables.
 */

/** Debian release codename → the version used in OSV ecosystem names (`Debian:12`). */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = Object.freeze({
  buzz: '1.1',
  rex: '1.2',
  bo: '1.3',
  hamm: '2.0',
  slink: '2.1',
  potato: '2.2',
  woody: '3.0',
  sarge: '3.1',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
});

/** Ubuntu release codename → version (`Ubuntu:22.04`). */
export const UBUNTU_RELEASES: Readonly<Record<string, string>> = Object.freeze({
  trusty: '14.04',
  xenial: '16.04',
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  lunar: '23.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
});
