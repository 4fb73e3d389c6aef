Feature: Deciding whether to carry out an EHC needs assessment, and telling the family if no plan follows
  A local authority that receives a request for an EHC needs assessment must decide whether to
  carry it out within 6 weeks of the request (SEND Regulations 2014 reg 5(1)). If, after the
  assessment, it decides not to issue an EHC plan, it must tell the family within 16 weeks of
  the request (reg 10(1)). For both, an exception to the time limit (reg 5(4), reg 10(4)) dated
  from the request to the due date excuses a missed deadline; it never changes a duty that was
  met or is still pending.

  A request received on Monday 6 January 2025 gives:
    the decision whether to assess due on 17 February 2025 (6 January + 6 weeks);
    the notice that no plan will be issued due on 28 April 2025 (6 January + 16 weeks).

  Background:
    Given a child born on 14 March 2015

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.assessment_decision - decide within 6 weeks of the request whether to assess

    Scenario: The decision is made in time
      Given a request for an EHC needs assessment from the parent received on Monday 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025
      And the duty was satisfied by the assessment decision
      And no exception applies
      And the local authority holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 5(1)"
      And the duty cites "SEND Regulations 2014 reg 5(4)"

    Scenario Outline: A decision on the days around the due date
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on <decided> to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is <status>, due on 17 February 2025

      Examples: the day before the due date, the due date and the day after
        | decided          | status |
        | 16 February 2025 | met    |
        | 17 February 2025 | met    |
        | 18 February 2025 | late   |

    Scenario: No decision yet on the due date is pending
      Given a request for an EHC needs assessment received on 6 January 2025
      When the duties are decided on 17 February 2025
      Then the duty "ehc.assessment_decision" for the request is pending, due on 17 February 2025
      And nothing has satisfied the duty yet

    Scenario: No decision by the day after the due date is overdue
      Given a request for an EHC needs assessment received on 6 January 2025
      When the duties are decided on 18 February 2025
      Then the duty "ehc.assessment_decision" for the request is overdue, due on 17 February 2025
      And the explanation says "1 day overdue on 2025-02-18"

    Scenario: A decision not to assess also answers the request
      Given a request for an EHC needs assessment from the school received on 6 January 2025
      And the local authority decided on 10 February 2025 not to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025
      And the duty was satisfied by the assessment decision

    Scenario: A decision made on the day of the request counts
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 6 January 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025

    Scenario: A decision dated before the request does not answer it
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 3 January 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is overdue, due on 17 February 2025
      And nothing has satisfied the duty

    Scenario: A decision is judged on what was known on the day of the decision
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      When the duties are decided on 10 February 2025
      Then the duty "ehc.assessment_decision" for the request is pending, due on 17 February 2025
      When the duties are decided on 14 February 2025
      Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025

    Scenario: Each request has its own time limit
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 not to carry out the assessment
      And a request for an EHC needs assessment from the parent received on Monday 2 June 2025
      When the duties are decided on 1 August 2025
      Then the duty "ehc.assessment_decision" for the first request is met, due on 17 February 2025
      And the duty "ehc.assessment_decision" for the second request is overdue, due on 14 July 2025

    Scenario: An exception excuses a late decision
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 10 February 2025 because of exceptional personal circumstances
      And the local authority decided on 3 March 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is exempt, due on 17 February 2025
      And the duty was excused by the exception
      And the duty was satisfied by the assessment decision
      And the explanation says "need not be met"

    Scenario: An exception excuses a decision that is overdue
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 20 January 2025 because of absence from the area
      When the duties are decided on 1 March 2025
      Then the duty "ehc.assessment_decision" for the request is exempt, due on 17 February 2025
      And the duty was excused by the exception
      And nothing has satisfied the duty

    Scenario: An exception on the due date still applies
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 17 February 2025 because of an institution closure
      And the local authority decided on 24 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is exempt, due on 17 February 2025

    Scenario: An exception the day after the due date comes too late
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 18 February 2025 because of an institution closure
      And the local authority decided on 24 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is late, due on 17 February 2025
      And no exception applies

    Scenario: An exception does not change a decision made in time
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 10 February 2025 because of exceptional personal circumstances
      And the local authority decided on 14 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025
      And no exception applies

    Scenario: An exception does not change a decision that is still pending
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 10 February 2025 because of exceptional personal circumstances
      When the duties are decided on 17 February 2025
      Then the duty "ehc.assessment_decision" for the request is pending, due on 17 February 2025
      And no exception applies

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.no_plan_notice - tell the family within 16 weeks of the request that no plan will be issued

    Scenario: The family is told in time
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the local authority decided on 25 April 2025 not to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then the duty "ehc.no_plan_notice" for the request is met, due on 28 April 2025
      And the duty was satisfied by the plan decision
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 10(1)"
      And the duty cites "SEND Regulations 2014 reg 10(4)"

    Scenario Outline: A decision not to issue a plan on the days around the due date
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the local authority decided on <decided> not to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then the duty "ehc.no_plan_notice" for the request is <status>, due on 28 April 2025

      Examples:
        | decided       | status |
        | 27 April 2025 | met    |
        | 28 April 2025 | met    |
        | 29 April 2025 | late   |

    Scenario: A decision to issue a plan brings no notice duty
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the local authority decided on 11 April 2025 to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then no duty "ehc.no_plan_notice" applies

    Scenario: Until a decision not to issue a plan is made, the duty does not apply
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then no duty "ehc.no_plan_notice" applies

    Scenario: A later decision not to issue a plan is not seen before it is made
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the local authority decided on 12 May 2025 not to issue an EHC plan
      When the duties are decided on 30 April 2025
      Then no duty "ehc.no_plan_notice" applies
      When the duties are decided on 12 May 2025
      Then the duty "ehc.no_plan_notice" for the request is late, due on 28 April 2025

    Scenario: An exception excuses a late notice
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And an exception to the time limit applied on 20 April 2025 because of exceptional personal circumstances
      And the local authority decided on 12 May 2025 not to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then the duty "ehc.no_plan_notice" for the request is exempt, due on 28 April 2025
      And the duty was excused by the exception
      And the duty was satisfied by the plan decision

    Scenario: An exception after the due date does not excuse a late notice
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And an exception to the time limit applied on 29 April 2025 because of absence from the area
      And the local authority decided on 12 May 2025 not to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then the duty "ehc.no_plan_notice" for the request is late, due on 28 April 2025
      And no exception applies

  # Version 1.4.0 reads reg 5(4) as listing no early years closure ground: see exceptions_1_4_0.feature.
  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v2.0.0-draft
  Rule: ehc.assessment_decision - any time-limit exception dated from the request excuses the decision (to 1.3.0)

    Scenario: An exception on the day of the request applies
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 6 January 2025 because of an early years closure
      And the local authority decided on 24 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is exempt, due on 17 February 2025
