Feature: Transfers between phases of education and between local authorities
  Before a child moves between phases of education the plan must be reviewed and amended
  (SEND Regulations 2014 reg 18): before 15 February of the year of a transfer between schools,
  before 31 March for a move from secondary school to post-16, and 5 months before a move between
  post-16 institutions. From version 1.1.0: when a child with a plan moves to another local
  authority, the old authority transfers the plan on the day of the move, or within 15 working
  days of learning of it if it learned late (reg 15(2)); the new authority then tells the family
  within 6 weeks (reg 15(4)). Version 1.3.0 counts those 15 working days as the regulation
  words them, "beginning with the day on which it did become aware" (transfers_1_3_0.feature).

  Working days are weekdays that are not bank holidays; school holidays do not change them.
  Easter 2025: Good Friday 18 April and Easter Monday 21 April are bank holidays.

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.phase_transfer - amend the plan before a transfer between phases

    Background:
      Given a child born on 14 March 2015

    Scenario: The plan is amended before 15 February of the year of a school transfer
      Given a school phase transfer on 1 September 2026, scheduled on 1 September 2025
      And the amended EHC plan issued on 10 February 2026
      When the duties are decided on 1 March 2026
      Then the duty "ehc.phase_transfer" for the transfer is met, due on 14 February 2026
      And the duty was satisfied by the amended plan
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 18(1)"
      And the duty cites "SEND Regulations 2014 reg 18(2)"

    Scenario Outline: The amended plan on the days around 14 February
      Given a school phase transfer on 1 September 2026, scheduled on 1 September 2025
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 March 2026
      Then the duty "ehc.phase_transfer" for the phase transfer is <status>, due on 14 February 2026

      Examples:
        | issued           | status |
        | 13 February 2026 | met    |
        | 14 February 2026 | met    |
        | 15 February 2026 | late   |

    Scenario: No amended plan is pending on 14 February and overdue on 15 February
      Given a school phase transfer on 1 September 2026, scheduled on 1 September 2025
      When the duties are decided on Saturday 14 February 2026
      Then the duty "ehc.phase_transfer" for the transfer is pending, due on 14 February 2026
      When the duties are decided on Sunday 15 February 2026
      Then the duty "ehc.phase_transfer" for the transfer is overdue, due on 14 February 2026

    Scenario: A January transfer is still due by 14 February of its own year
      Given a school phase transfer on 5 January 2026, scheduled on 1 September 2025
      When the duties are decided on 1 March 2026
      Then the duty "ehc.phase_transfer" for the transfer is overdue, due on 14 February 2026

    Scenario: An amended plan issued before the transfer was scheduled does not count
      Given the amended EHC plan issued on 1 August 2025
      And a school phase transfer on 1 September 2026, scheduled on 1 September 2025
      When the duties are decided on 15 February 2026
      Then the duty "ehc.phase_transfer" for the transfer is overdue, due on 14 February 2026

    Scenario Outline: From secondary school to post-16, the plan is amended before 31 March
      Given a transfer from secondary school to post-16 on 1 September 2026, scheduled on 1 September 2025
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 May 2026
      Then the duty "ehc.phase_transfer" for the transfer is <status>, due on 30 March 2026

      Examples:
        | issued        | status |
        | 30 March 2026 | met    |
        | 31 March 2026 | late   |

    Scenario Outline: Between post-16 institutions, the plan is amended 5 months before the transfer
      Given a transfer between post-16 institutions on <transfer>, scheduled on 1 September 2025
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 May 2026
      Then the duty "ehc.phase_transfer" for the transfer is <status>, due on <due>

      Examples: 5 months before 1 September is 1 April; before 31 July, the end of February
        | transfer         | issued           | status | due              |
        | 1 September 2026 | 1 April 2026     | met    | 1 April 2026     |
        | 1 September 2026 | 2 April 2026     | late   | 1 April 2026     |
        | 31 July 2026     | 28 February 2026 | met    | 28 February 2026 |
        | 31 July 2026     | 1 March 2026     | late   | 28 February 2026 |

  @v1.1.0 @v1.2.0
  Rule: ehc.plan_transfer - transfer the plan to the new local authority

    Version 1.3.0 counts the 15 working days beginning with the day the old authority learned
    of the move (transfers_1_3_0.feature); the scenarios below that depend on that count are
    not tagged for it.

    Background:
      Given a child born on 14 March 2015

    @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario: Told in good time, the old authority transfers the plan on the day of the move
      Given the local authority learned on Monday 3 March 2025 that the child is moving to local authority E09000001 on 1 April 2025
      And the plan transferred to the new local authority on 1 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is met, due on 1 April 2025
      And the duty was satisfied by the plan transfer
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 15(2)"
      And the explanation says "the later of by move_date 2025-04-01"

    @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
    Scenario Outline: The transfer on the days around the move
      Given the local authority learned on 3 March 2025 that the child is moving to another local authority on 1 April 2025
      And the plan transferred to the new local authority on <transferred>
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is <status>, due on 1 April 2025

      Examples:
        | transferred   | status |
        | 31 March 2025 | met    |
        | 1 April 2025  | met    |
        | 2 April 2025  | late   |

    Scenario Outline: Told late, the old authority has 15 working days
      Given the local authority learned on Monday 24 March 2025 that the child is moving to another local authority on 1 April 2025
      And the plan transferred to the new local authority on <transferred>
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is <status>, due on 14 April 2025

      Examples:
        | transferred   | status |
        | 14 April 2025 | met    |
        | 15 April 2025 | late   |

    Scenario: Bank holidays are not working days
      Given the local authority learned on Monday 7 April 2025 that the child is moving to another local authority on 10 April 2025
      When the duties are decided on 30 April 2025
      Then the duty "ehc.plan_transfer" for the move is pending, due on 30 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is overdue, due on 30 April 2025

    Scenario: School holidays do not change working days
      Given school closed from 14 April 2025 to 25 April 2025
      And the local authority learned on 7 April 2025 that the child is moving to another local authority on 10 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is overdue, due on 30 April 2025

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.transfer_notice - the new authority tells the family within 6 weeks of the transfer

    Background:
      Given a child born on 14 March 2015
      And the plan transferred to the new local authority on Tuesday 1 April 2025

    Scenario: The family is told in time
      Given the new local authority's notice to the family sent on 6 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.transfer_notice" for the plan transfer is met, due on 13 May 2025
      And the duty was satisfied by the transfer notice
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 15(4)"

    Scenario Outline: The notice on the days around the due date
      Given the new local authority's notice to the family sent on <sent>
      When the duties are decided on 1 June 2025
      Then the duty "ehc.transfer_notice" for the plan transfer is <status>, due on 13 May 2025

      Examples:
        | sent        | status |
        | 12 May 2025 | met    |
        | 13 May 2025 | met    |
        | 14 May 2025 | late   |

    Scenario: No notice is pending on the due date and overdue the next day
      When the duties are decided on 13 May 2025
      Then the duty "ehc.transfer_notice" for the plan transfer is pending, due on 13 May 2025
      When the duties are decided on 14 May 2025
      Then the duty "ehc.transfer_notice" for the plan transfer is overdue, due on 13 May 2025
