Feature: Exclusions: full-time education from the sixth school day, and the governing board's meeting
  From the sixth school day of a permanent exclusion, or of a suspension of more than 5 school
  days, the pupil must receive suitable full-time education: arranged by the school for a
  suspension, by the local authority for a permanent exclusion (SI 2007/1870 regs 3 and 4). The
  first day of the exclusion is day 1 if it is a school day. From version 1.1.0, the governing
  board must meet to consider reinstatement within 15 school days of being told of an exclusion
  it must review, or 50 school days when it reviews because the parent made representations
  (SI 2012/1033 regs 6 and 24); the day it is told is not counted.

  School days are weekdays that are neither bank holidays nor days the school is closed.
  In 2025, Monday 26 May is a bank holiday, so for an exclusion starting on Monday 19 May
  the school days are 19, 20, 21, 22, 23 and then 27 May: the sixth school day is 27 May.

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v2.0.0-draft
  Rule: exclusion.sixth_day_provision - full-time education from the sixth school day

    Background:
      Given a child born on 14 March 2012

    @v1.4.0 @v1.5.0
    Scenario: A suspension of 8 days, with full-time education a day late
      Given a suspension of 8 school days starting on Monday 19 May 2025
      And full-time education started on 28 May 2025 arranged by the school
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the suspension is late, due on 27 May 2025
      And the school holds the duty
      And the duty was satisfied by the full-time education
      And the explanation says "came 1 day after the due date"
      And the duty cites "SI 2007/1870 reg 3"
      And the duty cites "SI 2007/1870 reg 4"

    @v1.4.0 @v1.5.0
    Scenario Outline: Full-time education on the days around the sixth school day
      Given a suspension of 8 school days starting on 19 May 2025
      And full-time education started on <started>
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is <status>, due on 27 May 2025

      Examples: 26 May is a bank holiday, not a school day
        | started            | status |
        | Monday 26 May 2025 | met    |
        | 27 May 2025        | met    |
        | 28 May 2025        | late   |

    @v1.4.0 @v1.5.0
    Scenario: After a permanent exclusion the local authority must provide
      Given a permanent exclusion starting on 19 May 2025
      And full-time education started on 27 May 2025 arranged by the local authority
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the permanent exclusion is met, due on 27 May 2025
      And the local authority holds the duty

    @v1.4.0 @v1.5.0
    Scenario: No provision is pending on the sixth school day and overdue the day after
      Given a permanent exclusion starting on 19 May 2025
      When the duties are decided on 27 May 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is pending, due on 27 May 2025
      When the duties are decided on 28 May 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is overdue, due on 27 May 2025

    @v1.4.0 @v1.5.0
    Scenario: A suspension of 5 school days brings no duty
      Given a suspension of 5 school days starting on 19 May 2025
      When the duties are decided on 1 June 2025
      Then no duty "exclusion.sixth_day_provision" applies

    Scenario: A suspension of 6 school days does
      Given a suspension of 6 school days starting on 19 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the suspension is overdue, due on 27 May 2025

    @v1.4.0 @v1.5.0
    Scenario: When the school is closed on the first day, the next school day is day 1
      Given school closed on 19 May 2025
      And a permanent exclusion starting on 19 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is overdue, due on 28 May 2025

    @v1.4.0 @v1.5.0
    Scenario: Days the school is closed are not counted
      Given school closed from 20 May 2025 to 21 May 2025
      And a suspension of 8 school days starting on 19 May 2025
      And full-time education started on 28 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the suspension is met, due on 29 May 2025

    @v1.4.0 @v1.5.0
    Scenario: Half term moves the sixth school day into the next week
      Given school closed from 26 May 2025 to 30 May 2025
      And a permanent exclusion starting on 19 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is pending, due on 2 June 2025

    @v1.4.0 @v1.5.0
    Scenario: Provision that started before the exclusion does not count
      Given full-time education started on 16 May 2025
      And a permanent exclusion starting on 19 May 2025
      When the duties are decided on 28 May 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is overdue, due on 27 May 2025

    @v1.4.0 @v1.5.0
    Scenario: Provision from the first day of the exclusion counts
      Given a permanent exclusion starting on 19 May 2025
      And full-time education started on 19 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "exclusion.sixth_day_provision" for the exclusion is met, due on 27 May 2025

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: exclusion.reinstatement_meeting - the governing board meets to consider reinstatement

    Background:
      Given a child born on 14 March 2012

    Scenario: The board meets within 15 school days of a permanent exclusion
      Given a permanent exclusion starting on 19 May 2025
      And the permanent exclusion reported to the governing board on Tuesday 20 May 2025, to review because it is permanent
      And the governing board met on 6 June 2025 to consider reinstatement and upheld the exclusion
      When the duties are decided on 1 July 2025
      Then the duty "exclusion.reinstatement_meeting" for the notice to the board is met, due on 11 June 2025
      And the duty was satisfied by the reinstatement meeting
      And the school holds the duty
      And the duty is a "must"
      And the duty cites "SI 2012/1033 reg 6"
      And the duty cites "SI 2012/1033 reg 24"

    Scenario Outline: The meeting on the days around the fifteenth school day
      Given a permanent exclusion starting on 19 May 2025
      And the exclusion reported to the governing board on 20 May 2025, to review because it is permanent
      And the governing board met on <met> to consider reinstatement
      When the duties are decided on 1 July 2025
      Then the duty "exclusion.reinstatement_meeting" for the board notice is <status>, due on 11 June 2025

      Examples:
        | met          | status |
        | 10 June 2025 | met    |
        | 11 June 2025 | met    |
        | 12 June 2025 | late   |

    Scenario: No meeting is pending on the fifteenth school day and overdue the day after
      Given a permanent exclusion starting on 19 May 2025
      And the exclusion reported to the governing board on 20 May 2025, to review because it is permanent
      When the duties are decided on 11 June 2025
      Then the duty "exclusion.reinstatement_meeting" for the board notice is pending, due on 11 June 2025
      When the duties are decided on 12 June 2025
      Then the duty "exclusion.reinstatement_meeting" for the board notice is overdue, due on 11 June 2025

    Scenario: Half term is not counted
      Given school closed from 26 May 2025 to 30 May 2025
      And a permanent exclusion starting on 19 May 2025
      And the exclusion reported to the governing board on 20 May 2025, to review because it is permanent
      And the governing board met on 17 June 2025 to consider reinstatement and reinstated the pupil
      When the duties are decided on 1 July 2025
      Then the duty "exclusion.reinstatement_meeting" for the board notice is met, due on 17 June 2025

    Scenario: With the parent's representations, the board has 50 school days
      Given a suspension of 10 school days starting on Monday 6 January 2025
      And the suspension reported to the governing board on Monday 13 January 2025, to review because the parent made representations
      And the governing board met on 24 March 2025 to consider reinstatement
      When the duties are decided on 1 April 2025
      Then the duty "exclusion.reinstatement_meeting" for the notice to the board is met, due on 24 March 2025

    Scenario: 50 school days, not counting the February half term
      Given school closed from 17 February 2025 to 21 February 2025
      And a suspension of 10 school days starting on 6 January 2025
      And the suspension reported to the governing board on 13 January 2025, to review because the parent made representations
      When the duties are decided on 1 April 2025
      Then the duty "exclusion.reinstatement_meeting" for the notice to the board is overdue, due on 31 March 2025

    Scenario Outline: Other reasons for a review give 15 school days
      Given a suspension of <days> school days starting on 19 May 2025
      And the suspension reported to the governing board on 20 May 2025, to review because <reason>
      When the duties are decided on 1 July 2025
      Then the duty "exclusion.reinstatement_meeting" for the notice to the board is overdue, due on 11 June 2025

      Examples:
        | days | reason                                     |
        | 16   | it is more than 15 school days in a term   |
        | 3    | the pupil would miss a public examination  |
