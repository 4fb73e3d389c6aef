@v1.4.0 @v1.5.0
Feature: A change of the commissioning body responsible for the plan's health care provision (version 1.4.0)
  When a child with a plan moves between local authorities' areas and another integrated care
  board (ICB) becomes responsible for the child, the old ICB notifies the new one on the day of
  the move or, if it learned of the move less than 15 working days before, within 15 working days
  beginning with the day it learned of it; for a change for any other reason (a new GP practice, a
  move within the area), within 15 working days of learning of it. A new ICB that cannot secure
  the health care provision specified in the plan asks the local authority, within 15 working
  days of learning of the change, to make an EHC needs assessment or to review the plan (SEND
  Regulations 2014 reg 16, read in a local authority's restatement of the Code of Practice).

  Working days are weekdays that are not bank holidays. Learning of a move on Monday 2 March
  2026: 2-6 March (5), 9-13 (10), 16-20 (15), so the notice is due by Friday 20 March 2026; 15
  working days after Monday 2 March end on Monday 23 March 2026.

  Background:
    Given a child born on 14 March 2014

  Rule: ehc.icb_change_notice - the old ICB tells the new one

    Scenario: Told of the move late, the old ICB notifies the new one within 15 working days beginning with that day
      Given the ICB learned on Monday 2 March 2026 that the child is moving to another local authority on 4 March 2026
      And the old ICB notified the new ICB on Friday 20 March 2026
      When the duties are decided on 1 May 2026
      Then the duty "ehc.icb_change_notice" for the change of commissioning body is met, due on 20 March 2026
      And the duty was satisfied by the notice to the new ICB
      And the integrated care board holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 16"

    Scenario Outline: The notice on the days around the fifteenth working day
      Given the ICB learned on Monday 2 March 2026 that the child is moving to another local authority on 4 March 2026
      And the old ICB notified the new ICB on <notified>
      When the duties are decided on 1 May 2026
      Then the duty "ehc.icb_change_notice" for the change of commissioning body is <status>, due on 20 March 2026

      Examples: the fourteenth working day, the fifteenth and the next working day
        | notified      | status |
        | 19 March 2026 | met    |
        | 20 March 2026 | met    |
        | 23 March 2026 | late   |

    Scenario: Told of the move in good time, the old ICB notifies the new one on the day of the move
      Given the ICB learned on 2 March 2026 that the child is moving to another local authority on 1 April 2026
      When the duties are decided on 1 April 2026
      Then the duty "ehc.icb_change_notice" for the change of commissioning body is pending, due on 1 April 2026
      When the duties are decided on 2 April 2026
      Then the duty "ehc.icb_change_notice" for the change of commissioning body is overdue, due on 1 April 2026

    Scenario: For a change for another reason the 15 working days run after the day the old ICB learned of it
      Given the ICB learned on Wednesday 1 April 2026 that another ICB becomes responsible for the child on 1 April 2026
      And the old ICB notified the new ICB on 24 April 2026
      When the duties are decided on 1 May 2026
      Then the duty "ehc.icb_change_notice" for the change of commissioning body is met, due on 24 April 2026

  Rule: ehc.icb_assessment_or_review_request - a new ICB that cannot secure the health provision asks the local authority

    Scenario: The new ICB asks for an assessment on the fifteenth working day after it learned of the change
      Given the new ICB learned on Monday 2 March 2026 that it is responsible for the child and cannot secure the plan's health provision
      And the new ICB asked the local authority for an EHC needs assessment on Monday 23 March 2026
      When the duties are decided on 1 May 2026
      Then the duty "ehc.icb_assessment_or_review_request" for the new ICB's responsibility is met, due on 23 March 2026

    Scenario: The new ICB asks for a review a working day late
      Given the new ICB learned on Monday 2 March 2026 that it is responsible for the child and cannot secure the plan's health provision
      And the new ICB asked the local authority for a review of the plan on Tuesday 24 March 2026
      When the duties are decided on 1 May 2026
      Then the duty "ehc.icb_assessment_or_review_request" for the new ICB's responsibility is late, due on 23 March 2026
      And the duty was satisfied by the ICB's request
      And the integrated care board holds the duty
      And the duty cites "SEND Regulations 2014 reg 16"

    Scenario: A new ICB that can secure the health provision owes no request
      Given the new ICB learned on 2 March 2026 that it is responsible for the child and can secure the plan's health provision
      When the duties are decided on 1 May 2026
      Then no duty "ehc.icb_assessment_or_review_request" applies
