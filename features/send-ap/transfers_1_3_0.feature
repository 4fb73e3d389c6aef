@v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: Transferring the plan to a new local authority, counted as the regulation words it (version 1.3.0)
  When a child with a plan moves to another local authority, the old authority transfers the plan
  on the day of the move or, if it learned of the move less than 15 working days before, "within
  15 working days beginning with the day on which it did become aware" (SEND Regulations 2014
  reg 15(2)). The day it learned of the move is the first of the 15 working days when it is a
  working day; versions 1.1.0 and 1.2.0 counted the 15 working days after it, one working day
  later.

  Working days are weekdays that are not bank holidays; school holidays do not change them.
  Easter 2025: Good Friday 18 April and Easter Monday 21 April are bank holidays.

  Learning of the move on Monday 24 March 2025: 24-28 March (5), 31 March-4 April (10),
  7-11 April (15), so the plan is due by Friday 11 April 2025 (versions 1.1.0 and 1.2.0: 14 April).

  Background:
    Given a child born on 14 March 2015

  Rule: ehc.plan_transfer - the 15 working days begin with the day the old authority learned of the move

    Scenario: Told late, the old authority transfers the plan within 15 working days beginning with that day
      Given the local authority learned on Monday 24 March 2025 that the child is moving to local authority E09000001 on 1 April 2025
      And the plan transferred to the new local authority on Friday 11 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is met, due on 11 April 2025
      And the duty was satisfied by the plan transfer
      And the local authority holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 15(2)"
      And the explanation says "beginning with"

    Scenario Outline: The transfer on the days around the fifteenth working day
      Given the local authority learned on Monday 24 March 2025 that the child is moving to another local authority on 1 April 2025
      And the plan transferred to the new local authority on <transferred>
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is <status>, due on 11 April 2025

      Examples: the fourteenth working day, the fifteenth, the next day and the next working day
        | transferred   | status |
        | 10 April 2025 | met    |
        | 11 April 2025 | met    |
        | 12 April 2025 | late   |
        | 14 April 2025 | late   |

    Scenario: Bank holidays are not working days
      Given the local authority learned on Monday 7 April 2025 that the child is moving to another local authority on 10 April 2025
      When the duties are decided on Tuesday 29 April 2025
      Then the duty "ehc.plan_transfer" for the move is pending, due on 29 April 2025
      When the duties are decided on Wednesday 30 April 2025
      Then the duty "ehc.plan_transfer" for the move is overdue, due on 29 April 2025

    Scenario: School holidays do not change working days
      Given school closed from 14 April 2025 to 25 April 2025
      And the local authority learned on 7 April 2025 that the child is moving to another local authority on 10 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is overdue, due on 29 April 2025

    Scenario: Learning of the move on Good Friday, a bank holiday, the count begins on the next working day
      Given the local authority learned on Friday 18 April 2025 that the child is moving to another local authority on 22 April 2025
      And the plan transferred to the new local authority on Tuesday 13 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.plan_transfer" for the move is met, due on 13 May 2025

    Scenario: Learning of the move on a Saturday, the count begins on the Monday
      Given the local authority learned on Saturday 22 March 2025 that the child is moving to another local authority on 1 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "ehc.plan_transfer" for the move is overdue, due on 11 April 2025
