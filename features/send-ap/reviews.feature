Feature: Reviewing EHC plans
  The local authority must review an EHC plan within 12 months starting with the date of the
  plan or of the last review (Children and Families Act 2014 s44(1)), unless the plan ceases
  before the review is due. After a review meeting, the report goes out within 2 weeks (SEND
  Regulations 2014 reg 20(7), 21(7)) and the decision to maintain, amend or cease the plan within
  4 weeks (Code of Practice para 9.176). From version 1.1.0, plans of children under 5 should be
  reviewed at least every 6 months (para 9.178), and reviews from Year 9 must consider preparing
  for adulthood (reg 21(6)).

  "12 months starting with" a day ends the day before the same date a year later:
    a plan of Friday 23 May 2025 must be reviewed by 22 May 2026;
    a plan of 29 February 2024 by 28 February 2025; a plan of 1 March 2023 by 29 February 2024.
  The annual review changes in the 2.0.0 draft; its scenarios for the draft are in
  draft_proposals.feature.

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.annual_review - review within 12 months starting with the plan or the last review

    Background:
      Given a child born on 14 March 2015
      And the final EHC plan issued on Friday 23 May 2025

    Scenario: The plan is reviewed in time, and the review starts the next 12 months
      Given a review meeting held on 12 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is met, due on 22 May 2026
      And the duty was satisfied by the review meeting
      And the local authority holds the duty
      And the duty cites "Children and Families Act 2014 s44(1)"
      And the duty "ehc.annual_review" for the review meeting is pending, due on 11 May 2027

    Scenario Outline: A review meeting on the days around the due date
      Given a review meeting held on <held>
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is <status>, due on 22 May 2026

      Examples:
        | held        | status |
        | 21 May 2026 | met    |
        | 22 May 2026 | met    |
        | 23 May 2026 | late   |

    Scenario: No review is pending on the due date and overdue the next day
      When the duties are decided on 22 May 2026
      Then the duty "ehc.annual_review" for the final plan is pending, due on 22 May 2026
      When the duties are decided on 23 May 2026
      Then the duty "ehc.annual_review" for the final plan is overdue, due on 22 May 2026

    Scenario: The second review is due 12 months after the first
      Given a review meeting held on 12 May 2026
      And a review meeting held on 4 May 2027
      When the duties are decided on 1 June 2027
      Then the duty "ehc.annual_review" for the first review meeting is met, due on 11 May 2027
      And the duty was satisfied by the second review meeting
      And the duty "ehc.annual_review" for the second review meeting is pending, due on 3 May 2028
      And the duty "ehc.annual_review" for the last review meeting is pending, due on 3 May 2028

    Scenario: A plan that ceases before the review is due needs no review
      Given the plan ceased on 1 March 2026 for SEN2 reason 3
      When the duties are decided on 1 June 2026
      Then no duty "ehc.annual_review" applies

    Scenario: A plan that ceases on the due date needs no review
      Given the plan ceased on 22 May 2026
      When the duties are decided on 1 June 2026
      Then no duty "ehc.annual_review" applies for the final plan

    Scenario: A plan that ceases after the due date does not excuse the missed review
      Given the plan ceased on 1 June 2026
      When the duties are decided on 2 June 2026
      Then the duty "ehc.annual_review" for the final plan is overdue, due on 22 May 2026

    Scenario: A plan that ceases on the day of a review keeps that review's credit
      Given a review meeting held on 12 May 2026
      And the plan ceased on 12 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the final plan is met, due on 22 May 2026
      And no duty "ehc.annual_review" applies for the review meeting

    Scenario: Two review meetings on one day each count as the other's next review
      Given a review meeting held on 12 May 2026
      And a review meeting held on 12 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.annual_review" for the first review meeting is met, due on 11 May 2027
      And the duty was satisfied by the second review meeting
      And the duty "ehc.annual_review" for the second review meeting is met, due on 11 May 2027
      And the duty was satisfied by the first review meeting

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.annual_review - 12 months starting with a day at the end of February

    Scenario: A plan made on 29 February is reviewed by 28 February the next year
      Given a child born on 14 March 2015
      And the final EHC plan issued on 29 February 2024
      And a review meeting held on 28 February 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.annual_review" for the final plan is met, due on 28 February 2025

    Scenario: A plan made on 1 March 2023 is reviewed by 29 February 2024
      Given a child born on 14 March 2015
      And the final EHC plan issued on 1 March 2023
      And a review meeting held on 1 March 2024
      When the duties are decided on 1 June 2024
      Then the duty "ehc.annual_review" for the final plan is late, due on 29 February 2024

  @v1.0.0 @v1.1.0
  Rule: ehc.review_report - send the review report within 2 weeks of the meeting

    Background:
      Given a child born on 14 March 2015
      And a review meeting held on Tuesday 12 May 2026

    Scenario: The report is sent in time
      Given the review report sent on 20 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.review_report" for the review meeting is met, due on 26 May 2026
      And the duty was satisfied by the review report
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 20(7)"
      And the duty cites "SEND Regulations 2014 reg 21(7)"

    Scenario Outline: The report on the days around the due date
      Given the review report sent on <sent>
      When the duties are decided on 1 June 2026
      Then the duty "ehc.review_report" for the review meeting is <status>, due on 26 May 2026

      Examples:
        | sent        | status |
        | 25 May 2026 | met    |
        | 26 May 2026 | met    |
        | 27 May 2026 | late   |

    Scenario: No report is pending on the due date and overdue the next day
      When the duties are decided on 26 May 2026
      Then the duty "ehc.review_report" for the review meeting is pending, due on 26 May 2026
      When the duties are decided on 27 May 2026
      Then the duty "ehc.review_report" for the review meeting is overdue, due on 26 May 2026

    Scenario: A report answers the meeting it is for, not a later one
      Given the review report sent on 20 May 2026 in response to the review meeting
      And a review meeting held on 4 May 2027
      When the duties are decided on 1 June 2027
      Then the duty "ehc.review_report" for the first review meeting is met, due on 26 May 2026
      And the duty "ehc.review_report" for the second review meeting is overdue, due on 18 May 2027

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.review_decision - decide within 4 weeks of the meeting to maintain, amend or cease the plan

    Background:
      Given a child born on 14 March 2015
      And a review meeting held on Tuesday 12 May 2026

    Scenario: The decision is made in time
      Given the local authority decided on 2 June 2026 to maintain the plan
      When the duties are decided on 1 July 2026
      Then the duty "ehc.review_decision" for the review meeting is met, due on 9 June 2026
      And the duty was satisfied by the review decision
      And the local authority holds the duty
      And the duty cites "SEND Code of Practice 2015 para 9.176"

    Scenario Outline: The decision on the days around the due date
      Given the local authority decided on <decided> to <outcome> the plan
      When the duties are decided on 1 July 2026
      Then the duty "ehc.review_decision" for the review meeting is <status>, due on 9 June 2026

      Examples:
        | decided      | outcome | status |
        | 8 June 2026  | amend   | met    |
        | 9 June 2026  | cease   | met    |
        | 10 June 2026 | amend   | late   |

    Scenario: No decision is pending on the due date and overdue the next day
      When the duties are decided on 9 June 2026
      Then the duty "ehc.review_decision" for the review meeting is pending, due on 9 June 2026
      When the duties are decided on 10 June 2026
      Then the duty "ehc.review_decision" for the review meeting is overdue, due on 9 June 2026

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.early_years_review - review the plan of a child under 5 at least every 6 months

    Background:
      Given a child born on Thursday 3 June 2021
      And the final EHC plan issued on 31 August 2024

    Scenario: A young child's plan is reviewed within 6 months
      Given a review meeting held on 28 February 2025
      When the duties are decided on 1 March 2025
      Then the duty "ehc.early_years_review" for the final plan is met, due on 28 February 2025
      And the duty was satisfied by the review meeting
      And the local authority holds the duty
      And the duty is a "should"
      And the duty cites "SEND Code of Practice 2015 para 9.178"
      And the duty "ehc.annual_review" for the final plan is met, due on 30 August 2025
      And the duty "ehc.early_years_review" for the review meeting is pending, due on 28 August 2025

    Scenario Outline: A review meeting on the days around the due date (31 August + 6 months = 28 February)
      Given a review meeting held on <held>
      When the duties are decided on 1 June 2025
      Then the duty "ehc.early_years_review" for the final plan is <status>, due on 28 February 2025

      Examples:
        | held             | status |
        | 27 February 2025 | met    |
        | 28 February 2025 | met    |
        | 1 March 2025     | late   |

    Scenario: No review within 6 months is overdue, though the annual review is not yet due
      When the duties are decided on 1 March 2025
      Then the duty "ehc.early_years_review" for the final plan is overdue, due on 28 February 2025
      And the duty "ehc.annual_review" for the final plan is pending, due on 30 August 2025

    Scenario: A review the day before the fifth birthday starts another 6 months; a review on the birthday does not
      Given a review meeting held on 2 June 2026
      And a review meeting held on 3 June 2026
      When the duties are decided on 1 July 2026
      Then the duty "ehc.early_years_review" for the first review meeting is met, due on 2 December 2026
      And the duty was satisfied by the second review meeting
      And no duty "ehc.early_years_review" applies for the second review meeting

    Scenario: A plan that ceases before the review is due needs no early years review
      Given the plan ceased on 1 December 2024
      When the duties are decided on 1 June 2025
      Then no duty "ehc.early_years_review" applies

  @v1.1.0 @v1.2.0 @v1.3.0 @v2.0.0-draft
  Rule: ehc.preparing_for_adulthood - reviews from Year 9 consider preparing for adulthood

    @v1.4.0 @v1.5.0
    Scenario: A Year 9 review that considers preparing for adulthood
      Given a young person born on 14 March 2011
      And a review meeting held on 12 May 2025, which considered preparing for adulthood
      When the duties are decided on 1 June 2025
      Then the duty "ehc.preparing_for_adulthood" for the review meeting is met, with no due date
      And the local authority holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 21(6)"

    @v1.4.0 @v1.5.0
    Scenario: A Year 9 review that does not consider it
      Given a young person born on 14 March 2011
      And a review meeting held on 12 May 2025, which did not consider preparing for adulthood
      When the duties are decided on 1 June 2025
      Then the duty "ehc.preparing_for_adulthood" for the review meeting is breached

    Scenario: A review that does not record it is not judged
      Given a young person born on 14 March 2011
      And a review meeting held on 12 May 2025
      When the duties are decided on 1 June 2025
      Then no duty "ehc.preparing_for_adulthood" applies

    @v1.4.0 @v1.5.0
    Scenario: The oldest in the year group (born 31 August) is in Year 9
      Given a young person born on 31 August 2011
      And a review meeting held on 12 May 2025, which did not consider preparing for adulthood
      When the duties are decided on 1 June 2025
      Then the duty "ehc.preparing_for_adulthood" for the review meeting is breached

    @v1.4.0 @v1.5.0
    Scenario: One born a day later (1 September) is in Year 8, before the duty starts
      Given a young person born on 1 September 2011
      And a review meeting held on 12 May 2025, which did not consider preparing for adulthood
      When the duties are decided on 1 June 2025
      Then no duty "ehc.preparing_for_adulthood" applies
