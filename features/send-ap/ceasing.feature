@v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: Ceasing to maintain an EHC plan
  Before deciding to cease a plan, the local authority must inform and consult the family and
  the head of the named school or college (SEND Regulations 2014 reg 31); when it notifies the
  decision, it must give the right of appeal, its time limits and information about mediation
  and disagreement resolution (reg 31, reg 32). Neither duty has a due date: the first is met
  when the consultation came on or before the day of the notice, the second when the notice
  gave the appeal rights.

  Background:
    Given a child born on 14 March 2010

  Rule: ehc.cease_consultation - consult before deciding to cease the plan

    Scenario: The family and the school were consulted first
      Given the family and the school consulted about ceasing the plan on 3 February 2025
      And the decision to cease the plan notified on 3 March 2025, with the appeal rights
      When the duties are decided on 1 April 2025
      Then the duty "ehc.cease_consultation" for the cease notice is met, with no due date
      And the duty was satisfied by the consultation
      And the local authority holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 31"

    Scenario: A consultation on the day of the notice counts
      Given the family and the school consulted about ceasing the plan on 3 March 2025
      And the decision to cease the plan notified on 3 March 2025, with the appeal rights
      When the duties are decided on 1 April 2025
      Then the duty "ehc.cease_consultation" for the cease notice is met

    Scenario: No consultation before the decision
      Given the decision to cease the plan notified on 3 March 2025, with the appeal rights
      When the duties are decided on 1 April 2025
      Then the duty "ehc.cease_consultation" for the cease notice is breached
      And nothing satisfied the duty

    Scenario: A consultation after the decision comes too late
      Given the decision to cease the plan notified on 3 March 2025, with the appeal rights
      And the family and the school consulted about ceasing the plan on 10 March 2025
      When the duties are decided on 1 April 2025
      Then the duty "ehc.cease_consultation" for the cease notice is breached

  Rule: ehc.cease_notice_rights - give the right of appeal with the decision to cease

    Scenario: The notice gives the appeal rights
      Given the family and the school consulted about ceasing the plan on 3 February 2025
      And the decision to cease the plan notified on 3 March 2025, with the appeal rights
      When the duties are decided on 1 April 2025
      Then the duty "ehc.cease_notice_rights" for the decision to cease is met, with no due date
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 31"
      And the duty cites "SEND Regulations 2014 reg 32"

    Scenario: The notice leaves out the appeal rights
      Given the family and the school consulted about ceasing the plan on 3 February 2025
      And the decision to cease the plan notified on 3 March 2025, without the appeal rights
      When the duties are decided on 1 April 2025
      Then the duty "ehc.cease_notice_rights" for the cease notice is breached
      And the duty "ehc.cease_consultation" for the cease notice is met
