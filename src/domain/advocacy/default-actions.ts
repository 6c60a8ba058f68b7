/**
 * The default advocacy library a new guild starts with, drawn from the organisation's seed texts
 * and checked facts, written in our own words and linking to the
 * originals. `{volunteerForm}` is replaced by the guild's configured volunteer form.
 */
export interface DefaultAction {
  seedKey: string;
  title: string;
  text: string;
  titleEs: string;
  textEs: string;
  link: string;
  /**
   * Earlier default wordings of this action. A guild's copy still holding one of them (never edited
   * by its moderators) is brought up to the current wording; an edited copy is left alone.
   */
  previous?: readonly Partial<Pick<DefaultAction, 'title' | 'text' | 'titleEs' | 'textEs'>>[];
}

export const VOLUNTEER_FORM_PLACEHOLDER = '{volunteerForm}';

export const DEFAULT_ACTIONS: readonly DefaultAction[] = [
  {
    seedKey: 'amnesty-militarized-enforcement',
    title: 'Sign: stop militarized immigration enforcement in the USA',
    text:
      'Amnesty International\'s petition, written in early 2026 after ICE and Border Patrol operations expanded in ' +
      'Minneapolis and St. Paul, is addressed to the U.S. Secretary of Homeland Security (Kristi Noem when it was ' +
      'launched). It asks for an end to militarized immigration enforcement by ICE, Border Patrol and other federal ' +
      'agents; for every use of excessive and lethal force to be investigated and those responsible held to account; ' +
      'and for an end to mass deportation, detention and racial profiling. The form is Amnesty Austria\'s, in German, ' +
      'open from age 16, with no closing date given.\n\n' +
      '**Warning:** by signing you agree that your name is passed to the United States, to the Department of Homeland ' +
      'Security (DHS) the petition is addressed to. If you are not a U.S. citizen, have a pending immigration case or ' +
      'are otherwise at risk from DHS, it may be safer not to sign with your name.',
    titleEs: 'Firma: que se detenga la aplicación militarizada de las leyes migratorias en EE. UU.',
    textEs:
      'La petición de Amnistía Internacional, redactada a principios de 2026 tras la ampliación de los operativos de ' +
      'ICE y la Patrulla Fronteriza en Minneapolis y St. Paul, se dirige a la secretaría de Seguridad Nacional de ' +
      'EE. UU. (ocupada por Kristi Noem cuando se lanzó). Pide poner fin a la aplicación militarizada de las leyes ' +
      'migratorias por parte de ICE, la Patrulla Fronteriza y otros agentes federales; investigar todo uso excesivo y ' +
      'letal de la fuerza y exigir responsabilidades; y acabar con las deportaciones y detenciones masivas y los ' +
      'perfiles raciales. El formulario es de Amnistía Internacional Austria, en alemán, abierto desde los 16 años y ' +
      'sin fecha de cierre indicada.\n\n' +
      '**Aviso:** al firmar aceptas que tu nombre se transmita a Estados Unidos, al Departamento de Seguridad Nacional ' +
      '(DHS) al que se dirige la petición. Si no tienes la ciudadanía estadounidense, tienes un caso migratorio ' +
      'pendiente o corres otro riesgo frente al DHS, puede ser más seguro no firmar con tu nombre.',
    link: 'https://www.amnesty.at/mitmachen/urgent-action/gerechtigkeit-fuer-renee-alex-stoppt-die-willkuer-von-ice',
    previous: [
      {
        text:
          'Amnesty International is asking DHS Secretary Kristi Noem to end militarized immigration enforcement by ICE, ' +
          'Border Patrol and other federal agents; to investigate every use of excessive and lethal force and hold those ' +
          'responsible to account; and to end mass deportation, detention and racial profiling. Add your name online.',
        textEs:
          'Amnistía Internacional pide a la secretaria de Seguridad Nacional, Kristi Noem, que ponga fin a la aplicación ' +
          'militarizada de las leyes migratorias por parte de ICE, la Patrulla Fronteriza y otros agentes federales; que ' +
          'investigue todo uso excesivo y letal de la fuerza y que los responsables rindan cuentas; y que termine con las ' +
          'deportaciones y detenciones masivas y los perfiles raciales. Añade tu nombre en línea.',
      },
    ],
  },
  {
    seedKey: 'omct-deaths-in-detention',
    title: 'Share: accountability for deaths in U.S. immigration detention',
    text:
      'On 5 February 2026 the OMCT, the IRCT and the Omega Research Foundation called on U.S. authorities to ' +
      'independently investigate the 36 deaths in ICE detention since January 2025 and the killings of Renée Good, ' +
      'Keith Porter Jr. and Alex Pretti; to allow independent visits to detention centres; to release detained ' +
      'children; and to respect non-refoulement. Read the statement and share it.',
    titleEs: 'Comparte: rendición de cuentas por las muertes bajo custodia migratoria en EE. UU.',
    textEs:
      'El 5 de febrero de 2026, la OMCT, el IRCT y la Omega Research Foundation pidieron a las autoridades de EE. UU. ' +
      'investigar de forma independiente las 36 muertes bajo custodia de ICE desde enero de 2025 y los homicidios de ' +
      'Renée Good, Keith Porter Jr. y Alex Pretti; permitir visitas independientes a los centros de detención; liberar ' +
      'a los niños detenidos; y respetar el principio de no devolución. Lee la declaración y compártela.',
    link: 'https://www.omct.org/en/resources/statements/usa-urgent-call-for-accountability-as-u-s-migration-policy-fuels-human-rights-violations',
  },
  {
    seedKey: 'hml-safe-country-review',
    title: 'Ask for a review of the U.S. "safe country" status',
    text:
      'In its statement of 9 February 2026, Help Me Leave argues that the U.S. no longer meets the EU criteria for a ' +
      '"safe country of origin" or "safe third country" (our position, not a legal finding), and asks the UN Security ' +
      'Council, the European Commission and national governments to investigate that status and open more legal ' +
      'migration pathways for people persecuted in the U.S. Read our statement and raise it with your representatives.',
    titleEs: 'Pide que se revise la condición de EE. UU. como "país seguro"',
    textEs:
      'En su declaración del 9 de febrero de 2026, Help Me Leave sostiene que EE. UU. ya no cumple los criterios de la ' +
      'UE para ser "país de origen seguro" o "tercer país seguro" (nuestra postura, no una conclusión jurídica), y ' +
      'pide al Consejo de Seguridad de la ONU, a la Comisión Europea y a cada gobierno nacional que investiguen esa ' +
      'condición y abran más vías legales de migración para las personas perseguidas en EE. UU. Lee nuestra ' +
      'declaración y plantéala a tus representantes.',
    link: 'https://www.helpmeleave.us/guides-resources',
    previous: [
      {
        text:
          'Help Me Leave believes the U.S. no longer meets the EU criteria for a "safe country of origin" or "safe third ' +
          'country", and asks the UN Security Council, the European Commission and national governments to investigate ' +
          'that status and open more legal migration pathways for people persecuted in the U.S. Read our statement and ' +
          'raise it with your representatives.',
        textEs:
          'Help Me Leave considera que EE. UU. ya no cumple los criterios de la UE para ser "país de origen seguro" o ' +
          '"tercer país seguro", y pide al Consejo de Seguridad de la ONU, a la Comisión Europea y a cada gobierno ' +
          'nacional que investiguen esa condición y abran más vías legales de migración para las personas perseguidas ' +
          'en EE. UU. Lee nuestra declaración y plantéala a tus representantes.',
      },
    ],
  },
  {
    seedKey: 'hml-volunteer',
    title: 'Volunteer with Help Me Leave',
    text:
      'We need help with research, marketing, client support, Spanish translation, running this community server, ' +
      'web development and more. If you have relevant skills, fill out the volunteer form.',
    titleEs: 'Únete al voluntariado de Help Me Leave',
    textEs:
      'Necesitamos ayuda con investigación, marketing, atención a personas usuarias, traducción al español, la ' +
      'gestión de este servidor, desarrollo web y más. Si tienes conocimientos útiles, completa el formulario de voluntariado.',
    link: VOLUNTEER_FORM_PLACEHOLDER,
    previous: [{ titleEs: 'Hazte voluntario/a de Help Me Leave' }],
  },
];
