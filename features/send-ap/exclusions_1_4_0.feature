@v1.4.0 @v1.5.0
Feature: The sixth-day duty counted the way the law counts (version 1.4.0)
  The duty to provide suitable full-time education from the sixth school day of an exclusion
  (SI 2007/1870 regs 3 and 4) is owed to "a pupil of compulsory school age" (reg 3(1)).
  A child begins to be of compulsory school age on the fifth birthday if it falls on a prescribed
  day (31 March, 31 August or 31 December), otherwise on the next prescribed day; they cease to be
  of compulsory school age at the end of the last Friday in June of the school year in which they
  turn 16 (Education Act 1996 s8). Version 1.4.0 tests this on the first day of the exclusion.

  Rule: exclusion.sixth_day_provision - only for a pupil of compulsory school age

    Scenario: A Reception child aged 4 is suspended: no sixth-day duty
      Given a child born on 10 June 2020
      And a suspension of 8 school days starting on Monday 13 January 2025
      When the duties are decided on 3 February 2025
      Then no duty "exclusion.sixth_day_provision" applies

    Scenario Outline: Excluded around the prescribed day on which compulsory school age begins
      Given a child born on 30 March 2020
      And a permanent exclusion starting on <first day>
      When the duties are decided on <decided>
      Then <outcome>

      Examples: five on Sunday 30 March 2025, so of compulsory school age from Monday 31 March
        | first day              | decided       | outcome                                                                                   |
        | Friday 28 March 2025   | 30 April 2025 | no duty "exclusion.sixth_day_provision" applies                                           |
        | Monday 31 March 2025   | 7 April 2025  | the duty "exclusion.sixth_day_provision" for the exclusion is pending, due on 7 April 2025 |
        | Monday 31 March 2025   | 8 April 2025  | the duty "exclusion.sixth_day_provision" for the exclusion is overdue, due on 7 April 2025 |

    Scenario Outline: Excluded around the school leaving date
      Given a child born on 28 June 2009
      And a permanent exclusion starting on <first day>
      When the duties are decided on 31 July 2025
      Then <outcome>

      Examples: sixteen on Saturday 28 June 2025, after the last Friday in June (27 June)
        | first day           | outcome                                                                                   |
        | Friday 27 June 2025 | the duty "exclusion.sixth_day_provision" for the exclusion is overdue, due on 4 July 2025 |
        | Monday 30 June 2025 | no duty "exclusion.sixth_day_provision" applies                                           |

  Rule: exclusion.sixth_day_provision - the sixth consecutive school day, over back-to-back exclusions
    From 5 January 2015 the duty runs from the sixth consecutive school day of exclusion, whether
    the pupil was excluded for one fixed period or more than one (SI 2007/1870 regs 3 and 4 as
    amended by SI 2014/3216). An exclusion continues the run when it starts on or before the
    school day after the last day of the one before; the duty belongs to the exclusion on which
    the run's sixth school day falls.

    Background:
      Given a child born on 14 March 2012

    Scenario: Two suspensions of 3 school days, back to back
      Given a suspension of 3 school days starting on Monday 6 January 2025
      And a suspension of 3 school days starting on Thursday 9 January 2025
      And full-time education started on 13 January 2025 arranged by the school
      When the duties are decided on 3 February 2025
      Then the duty "exclusion.sixth_day_provision" for the second suspension is met, due on 13 January 2025
      And the explanation says "ran back to back; school day 6 of the run is 2025-01-13"

    Scenario: A school day between two suspensions breaks the run
      Given a suspension of 3 school days starting on Monday 6 January 2025
      And a suspension of 3 school days starting on Friday 10 January 2025
      When the duties are decided on 3 February 2025
      Then no duty "exclusion.sixth_day_provision" applies

    Scenario: A weekend does not break the run
      Given a suspension of 3 school days starting on Wednesday 8 January 2025
      And a suspension of 3 school days starting on Monday 13 January 2025
      When the duties are decided on 15 January 2025
      Then the duty "exclusion.sixth_day_provision" for the second suspension is pending, due on 15 January 2025

    Scenario: A suspension followed at once by a permanent exclusion
      Given a suspension of 3 school days starting on Monday 3 March 2025
      And a permanent exclusion starting on Thursday 6 March 2025
      When the duties are decided on 11 March 2025
      Then the duty "exclusion.sixth_day_provision" for the permanent exclusion is overdue, due on 10 March 2025
      And the local authority holds the duty

  Rule: exclusion.sixth_day_provision - the duty's window closes with the exclusion
    The duty is to provide education while the pupil is excluded. Its window closes at the end of
    the exclusion (or of its run of back-to-back exclusions), or the day before the next
    exclusion, whichever comes first. Education that starts later belongs to another episode:
    a duty whose window closed unmet is breached, not late.

    Background:
      Given a child born on 14 March 2012

    Scenario: Provision for a March suspension does not satisfy a January suspension's duty
      Given a suspension of 8 school days starting on Monday 13 January 2025
      And a suspension of 8 school days starting on Monday 10 March 2025
      And full-time education started on 17 March 2025 arranged by the school
      When the duties are decided on 1 April 2025
      Then the duty "exclusion.sixth_day_provision" for the first suspension is breached, due on 20 January 2025
      And the explanation says "window closed"
      And the duty "exclusion.sixth_day_provision" for the second suspension is met, due on 17 March 2025

    Scenario Outline: Provision around the last day of an 8-day suspension
      Given a suspension of 8 school days starting on Monday 19 May 2025
      And full-time education started on <started> arranged by the school
      When the duties are decided on 20 June 2025
      Then the duty "exclusion.sixth_day_provision" for the suspension is <status>, due on 27 May 2025

      Examples: 26 May is a bank holiday; the suspension's last school day is 29 May
        | started              | status   |
        | 27 May 2025          | met      |
        | Thursday 29 May 2025 | late     |
        | Friday 30 May 2025   | breached |

  Rule: exclusion.suspension_yearly_cap - no more than 45 school days of suspension in a school year
    A pupil may be suspended for no more than 45 school days in one school year (1 September to
    31 August), counted across all their suspensions (Education Act 2002 s51A; read in local
    authority summaries). Each suspension is judged on the total up to and including it.

    Background:
      Given a child born on 14 March 2012

    Scenario: The suspension that takes the total past 45 school days
      Given a suspension of 20 school days starting on 9 September 2024
      And a suspension of 20 school days starting on 4 November 2024
      And a suspension of 5 school days starting on 13 January 2025
      And a suspension of 1 school day starting on 3 March 2025
      When the duties are decided on 1 April 2025
      Then the duty "exclusion.suspension_yearly_cap" for the third suspension is met
      And the duty "exclusion.suspension_yearly_cap" for the fourth suspension is breached

    Scenario: A new school year starts the count again
      Given a suspension of 45 school days starting on 9 September 2024
      And a suspension of 10 school days starting on 1 September 2025
      When the duties are decided on 30 September 2025
      Then the duty "exclusion.suspension_yearly_cap" for the second suspension is met

  Rule: exclusion.suspension_yearly_cap - a lunchtime suspension counts as half a school day
    A pupil suspended from the premises for the lunchtime period only is suspended for half a
    school day for each lunchtime, toward the 45 school days of the school year (the DfE's
    statutory guidance, as local authorities summarise it: "lunchtime = ½ day"). A lunchtime
    suspension is not a school day of exclusion for the sixth-day duty.

    Background:
      Given a child born on 14 March 2012

    Scenario Outline: Lunchtimes after 44 school days of suspension
      Given a suspension of 44 school days starting on 9 September 2024
      And a lunchtime suspension of <lunchtimes> starting on 13 January 2025
      When the duties are decided on 1 April 2025
      Then the duty "exclusion.suspension_yearly_cap" for the second suspension is <status>

      Examples: 44 + 1 = 45 school days is within the limit; 44 + 1.5 is not
        | lunchtimes   | status   |
        | 2 lunchtimes | met      |
        | 3 lunchtimes | breached |

    Scenario: A lunchtime suspension between two suspensions does not join them into a run
      Given a suspension of 3 school days starting on Monday 6 January 2025
      And a lunchtime suspension of 1 lunchtime starting on Thursday 9 January 2025
      And a suspension of 3 school days starting on Friday 10 January 2025
      When the duties are decided on 3 February 2025
      Then no duty "exclusion.sixth_day_provision" applies

