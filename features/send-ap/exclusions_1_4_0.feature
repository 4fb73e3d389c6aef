@v1.4.0
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
